/**
 * The per-object engine: what kpatch-build does for a patch, minus its full
 * kernel build. The changed objects are compiled before and after the
 * patches with kpatch's compiler wrapper and flags, diffed by
 * create-diff-object against the kernel's vmlinux symbol table and
 * Module.symvers (Debian's, or the lab build's: engine-facts.ts), linked
 * into kpatch's module template against the configured tree, and finished
 * by create-klp-module. It prints what
 * kpatch-build prints (changed functions, "Patched objects:", "Building
 * patch module:", "ERROR: … file failed to apply"), so the build's output
 * parsing and failure rules are the same for both engines.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import { configValues } from "../../core/lint/kbuild.js";
import type { KpatchRunResult } from "../kpatch/kpatch-run.js";
import type { KpatchToolchain } from "../kpatch/kpatch-make.js";
import { REPRODUCIBLE_ENV } from "../kernel/kernel-make.js";
import type { PreparedKernel } from "../kernel/prepare.js";
import type { Runner } from "../runtime/runner.js";
import type { DistroFacts } from "./distro-entry.js";
import { checkObjectCompiler, checkModuleAbi } from "./module-checks.js";

export interface ObjectBuildOptions {
  prepared: PreparedKernel;
  facts: DistroFacts;
  tools: Pick<KpatchToolchain, "toolsDir" | "dataDir">;
  objects: readonly string[];
  patchFiles: readonly string[];
  name: string;
  outDir: string;
  jobs: number;
  onLine?: (line: string) => void;
  onSpawn?: (pid: number) => void;
}

/** create-diff-object's exit code when an object has no functional change. */
const NO_CHANGE = 3;

export async function runObjectBuild(
  runner: Runner,
  o: ObjectBuildOptions,
): Promise<KpatchRunResult> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    o.onLine?.(l);
  };
  const run = async (
    cmd: string,
    args: string[],
    opts: { cwd?: string; env?: Record<string, string> } = {},
  ) => {
    const r = await runner.run(cmd, args, {
      ...opts,
      env: { ...REPRODUCIBLE_ENV, ...opts.env },
      ...(o.onSpawn ? { onSpawn: o.onSpawn } : {}),
    });
    return r;
  };
  const fail = (why: string): KpatchRunResult => {
    say(`ERROR: ${why}`);
    return { exitCode: 1, lines };
  };
  const tree = o.prepared.tree;
  await mkdir(o.prepared.kpatchCache, { recursive: true });
  const work = await mkdtemp(join(o.prepared.kpatchCache, "build-"));
  const makeObjects = async (into: string, patched: boolean): Promise<string | undefined> => {
    const r = await run(
      "make",
      ["-C", tree, ...o.prepared.make.makeVars, `-j${o.jobs}`, ...o.objects],
      {
        // Debug info names the tree "."; the module's build-id (hashed over
        // it before stripping) then does not depend on the cache's path. A
        // tree compiled here already has its prefix maps: kept, so kbuild
        // sees the command line it built with and recompiles nothing else.
        env: {
          KCPPFLAGS: `-fdebug-prefix-map=${tree}=.`,
          ...o.prepared.make.env,
        },
      },
    );
    const out = (r.stdout + r.stderr).trim().split("\n");
    if (r.exitCode !== 0) return out.slice(-20).join("\n");
    for (const l of out.filter((x) => /^\s+[A-Z]+\s/.test(x))) say(l);
    for (const obj of o.objects) {
      await mkdir(dirname(join(into, obj)), { recursive: true });
      await copyFile(join(tree, obj), join(into, obj));
      // The tree keeps no patched object: the next build's "before" must be recompiled.
      if (patched) await rm(join(tree, obj), { force: true });
    }
    return undefined;
  };
  try {
    say(`Building original objects: ${o.objects.join(" ")}`);
    const origErr = await makeObjects(join(work, "orig"), false);
    if (origErr !== undefined) return fail(`compiling the original objects failed:\n${origErr}`);
    for (const obj of o.objects) {
      await checkObjectCompiler(
        runner,
        join(work, "orig", obj),
        join(o.prepared.pristine, "vmlinux"),
      );
    }

    const applied: string[] = [];
    let patchedErr: string | undefined;
    try {
      for (const f of o.patchFiles) {
        const r = await run("patch", ["-N", "-p1", "--batch", "-d", tree, "-i", f]);
        if (r.exitCode !== 0) {
          for (const l of (r.stdout + r.stderr).trim().split("\n")) say(l);
          return fail(`${basename(f)} file failed to apply`);
        }
        applied.push(f);
      }
      say(`Building patched objects: ${o.objects.join(" ")}`);
      patchedErr = await makeObjects(join(work, "patched"), true);
    } finally {
      for (const f of applied.reverse())
        await run("patch", ["-R", "-p1", "--batch", "-d", tree, "-i", f]);
    }
    if (patchedErr !== undefined)
      return fail(`compiling the patched objects failed:\n${patchedErr}`);

    say("Extracting new and modified ELF sections");
    const symtab = join(work, "vmlinux.symtab");
    const st = await run("readelf", ["-s", "--wide", join(o.prepared.pristine, "vmlinux")]);
    await writeFile(symtab, st.stdout);
    let changed = 0;
    let errors = 0;
    for (const obj of o.objects) {
      await mkdir(dirname(join(work, "output", obj)), { recursive: true });
      // No --klp-arch: upstream passes it only below Linux 5.8, and with it
      // every jump label is refused (docs/building.md, "Distribution kernels").
      const r = await run(
        join(o.tools.toolsDir, "create-diff-object"),
        [
          join(work, "orig", obj),
          join(work, "patched", obj),
          "vmlinux",
          symtab,
          join(o.prepared.pristine, "Module.symvers"),
          o.name,
          join(work, "output", obj),
        ],
        { env: o.facts.specialEnv },
      );
      for (const l of (r.stdout + r.stderr).split("\n").filter((x) => x !== "")) say(l);
      if (r.exitCode === 0) changed++;
      else if (r.exitCode !== NO_CHANGE) errors++;
    }
    if (errors > 0) return fail(`${errors} error(s) encountered`);
    if (changed === 0) return fail("no functional changes found");
    say("Patched objects: vmlinux");
    return await linkModule(o, work, run, say, lines, runner);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

type Run = (
  cmd: string,
  args: string[],
  opts?: { cwd?: string; env?: Record<string, string> },
) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

/** kpatch's module template, built against the configured tree, then made a klp module. */
async function linkModule(
  o: ObjectBuildOptions,
  work: string,
  run: Run,
  say: (l: string) => void,
  lines: string[],
  runner: Runner,
): Promise<KpatchRunResult> {
  const patchDir = join(work, "patch");
  const cp = await run("cp", ["-LR", join(o.tools.dataDir, "patch"), patchDir]);
  if (cp.exitCode !== 0)
    throw new LpctlError("TOOL_MISSING", `kpatch's module template: ${cp.stderr.trim()}`);
  await run("chmod", ["-R", "u+rw", patchDir]);
  const outputs = o.objects.map((obj) => join(work, "output", obj));
  const ld = await run("ld", ["-r", "-o", join(patchDir, "output.o"), ...outputs]);
  if (ld.exitCode !== 0) return failWith(say, lines, `ld -r failed: ${ld.stderr.trim()}`);
  // modpost wants a .cmd beside every object (kpatch-build does the same).
  await writeFile(join(patchDir, ".output.o.cmd"), "");
  say(`Building patch module: ${o.name}.ko`);
  const make = await run("make", [`CC=${o.facts.cc}`], {
    cwd: patchDir,
    env: {
      KPATCH_BUILD: o.prepared.tree,
      KPATCH_NAME: o.name,
      KCFLAGS: `-I${o.tools.dataDir}/patch`,
      KPATCH_LDFLAGS: "",
      KCPPFLAGS: `-fdebug-prefix-map=${work}=kpatch -fdebug-prefix-map=${o.prepared.tree}=.`,
      // The template's Makefile builds M=$(PWD); a spawned process inherits ours.
      PWD: patchDir,
    },
  });
  for (const l of (make.stdout + make.stderr).split("\n").filter((x) => x !== "")) say(l);
  if (make.exitCode !== 0) return failWith(say, lines, "building the patch module failed");
  const ko = join(patchDir, `${o.name}.ko`);
  await copyFile(ko, join(patchDir, "tmp.ko"));
  const klp = await run(join(o.tools.toolsDir, "create-klp-module"), [
    "--no-klp-arch-sections",
    join(patchDir, "tmp.ko"),
    ko,
  ]);
  for (const l of (klp.stdout + klp.stderr).split("\n").filter((x) => x !== "")) say(l);
  if (klp.exitCode !== 0)
    return failWith(say, lines, `create-klp-module: exited with return code: ${klp.exitCode}`);
  const config = configValues(await readFile(join(o.prepared.pristine, ".config"), "utf8"));
  await checkModuleAbi(runner, ko, {
    vermagic: o.facts.vermagic,
    symvers: join(o.prepared.pristine, "Module.symvers"),
    modversions: config.get("CONFIG_MODVERSIONS") === "y",
  });
  await copyFile(ko, join(o.outDir, `${o.name}.ko`));
  say("SUCCESS");
  return { exitCode: 0, lines };
}

function failWith(say: (l: string) => void, lines: string[], why: string): KpatchRunResult {
  say(`ERROR: ${why}`);
  return { exitCode: 1, lines };
}
