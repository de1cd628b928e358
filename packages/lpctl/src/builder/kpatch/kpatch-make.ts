/**
 * The compiler wrapper, flags and environment kpatch-build compiles the
 * kernel with. `prepare` builds the tree with exactly these, so that
 * kpatch-build's "Building original source" finds every object up to date
 * (kbuild rebuilds an object whenever its command line changed) instead of
 * compiling the whole kernel a second time.
 */
import { mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import type { Runner } from "../runtime/runner.js";

export interface KpatchMake {
  /** `CC=… LD=…` as kpatch-build passes them on make's command line. */
  makeVars: string[];
  /** KCFLAGS and KCPPFLAGS, in the environment of prepare's make and of kpatch-build. */
  env: Record<string, string>;
}

/** Where kpatch-build finds its helpers: `readlink -f` of bin/../lib/kpatch and ../share/kpatch. */
export async function kpatchDirs(
  kpatchBuild: string,
): Promise<{ toolsDir: string; dataDir: string }> {
  const bin = dirname(await realpath(kpatchBuild));
  try {
    return {
      toolsDir: await realpath(join(bin, "..", "lib", "kpatch")),
      dataDir: await realpath(join(bin, "..", "share", "kpatch")),
    };
  } catch (e) {
    throw new LpctlError(
      "TOOL_MISSING",
      `${kpatchBuild} has no lib/kpatch and share/kpatch beside it; reinstall kpatch-build (sudo bash scripts/install-build-deps.sh)`,
      { cause: e, details: { tool: "kpatch-build" } },
    );
  }
}

/** kpatch-build adds -gz=none when the compiler accepts it silently; so do we. */
async function acceptsGzNone(runner: Runner, gcc: string): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), "lpctl-gz-"));
  try {
    await writeFile(join(dir, "t.c"), "void main(void) {}\n");
    const r = await runner.run(gcc, ["-c", "-gz=none", "-o", join(dir, "t.o"), join(dir, "t.c")]);
    return r.exitCode === 0 && (r.stdout + r.stderr).trim() === "";
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface KpatchToolchain {
  toolsDir: string;
  dataDir: string;
  /** The flags that change the compiled objects. */
  codeFlags: string;
  /** What changes the compiled output (no paths): part of the kernel cache key. */
  flavour: string;
}

/** kpatch-build's helper directories and the compiler flags it will use on this runner. */
export async function kpatchToolchain(
  runner: Runner,
  kpatchBuild: string,
): Promise<KpatchToolchain> {
  const { toolsDir, dataDir } = await kpatchDirs(kpatchBuild);
  const debug = (await acceptsGzNone(runner, "gcc")) ? " -gz=none" : "";
  const codeFlags = `-ffunction-sections -fdata-sections${debug}`;
  return { toolsDir, dataDir, codeFlags, flavour: `kpatch-cc ${codeFlags} lds-split-sections` };
}

/**
 * The build environment for one kernel tree. The prefix maps take the tree
 * and kpatch-build's CACHEDIR out of the debug info (same inputs, same
 * kernel build-id and same module bytes wherever the cache lives); they go
 * in KCPPFLAGS, which kpatch-build passes through untouched.
 */
export function kpatchMake(
  tc: KpatchToolchain,
  prefixMaps: { tree: string; kpatchCache: string },
): KpatchMake {
  const wrapper = `${tc.toolsDir}/kpatch-cc `;
  return {
    makeVars: [`CC=${wrapper}gcc`, `LD=${wrapper}ld`],
    env: {
      KCFLAGS: `-I${tc.dataDir}/patch ${tc.codeFlags}`,
      // x86's linker script gathers .text.*, .data.*, .bss.* and .rodata.*
      // only in its dead-code-elimination mode; with -ffunction-sections and
      // -fdata-sections they are otherwise orphans scattered by ld, and the
      // kernel does not boot (26,472 orphan sections; hung before the first
      // console line). This turns on just those section patterns, for the
      // linker scripts only (no --gc-sections, no code change). It is an
      // environment variable so that kpatch-build's own makes (a bash
      // script, which passes it through) use the same linker-script command.
      "CPPFLAGS_vmlinux.lds": "-DCONFIG_LD_DEAD_CODE_DATA_ELIMINATION",
      KCPPFLAGS: [
        `-fdebug-prefix-map=${prefixMaps.tree}=.`,
        `-fdebug-prefix-map=${prefixMaps.kpatchCache}/tmp=kpatch`,
      ].join(" "),
    },
  };
}
