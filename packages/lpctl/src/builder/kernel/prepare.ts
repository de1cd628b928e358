/**
 * `lpctl kernel prepare`: a configured, built kernel tree for a target, with
 * pristine copies of what kpatch-build needs, in a content-addressed cache.
 * Built in a temp dir and renamed into place, so a failed or killed prepare
 * leaves no half entry; a lock makes concurrent prepares of a key wait.
 */
import { appendFile, copyFile, mkdir, readFile, rm } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import type { KernelTarget } from "../../core/target.js";
import { readBuildId } from "./build-id.js";
import { kernelDirName, kernelKey } from "../cache/cache-key.js";
import type { Clock } from "../../io/clock.js";
import { ccVersionText } from "./config-fragment.js";
import { configureKernel } from "./kernel-config.js";
import { kernelMake } from "./kernel-make.js";
import { kpatchMake, kpatchToolchain, type KpatchMake } from "../kpatch/kpatch-make.js";
import { acquireLock, processLockDeps, type LockDeps } from "../cache/lock.js";
import {
  entryPaths,
  readPrepared,
  writePrepared,
  type PreparedRecord,
} from "../cache/prepared-record.js";
import { createProgress } from "../runtime/progress.js";
import { releaseCheck } from "./release-check.js";
import type { Runner } from "../runtime/runner.js";
import { debianDeps, fetchSource, resolveSource, type ResolvedSource } from "../source/source.js";
import { compilerIdentity, checkToolchain, enforceToolchain } from "./toolchain.js";
import { findKpatchBuild } from "../runtime/tools.js";
import { prepareDistro } from "../distro/prepare-distro.js";

export interface PrepareOptions {
  runner: Runner;
  clock: Clock;
  print: (line: string) => void;
  cacheDir: string;
  repoDir: string;
  /** kpatch-build, whose compiler wrapper and flags build the tree; default: found as `build` finds it. */
  kpatchBuild?: string;
  jobs?: number;
  allowToolchainMismatch?: boolean;
  lockDeps?: LockDeps;
  /**
   * Checks on the unpacked source before the long work (a distro target:
   * which objects the patches change); run on a cached tree too.
   */
  precheck?: (tree: string) => Promise<void>;
}

export interface PreparedKernel extends PreparedRecord {
  dir: string;
  tree: string;
  pristine: string;
  cached: boolean;
  /** kpatch-build's CACHEDIR for this tree, and the build environment it shares with prepare. */
  kpatchCache: string;
  make: KpatchMake;
}

/** Files kpatch-build overwrites in the tree, saved before it runs. */
const PRISTINE = [
  ["vmlinux", "vmlinux"],
  ["arch/x86/boot/bzImage", "bzImage"],
  ["System.map", "System.map"],
  ["Module.symvers", "Module.symvers"],
  [".config", ".config"],
] as const;

export async function prepareKernel(
  target: KernelTarget,
  o: PrepareOptions,
): Promise<PreparedKernel> {
  // A distribution's binary kernel: configured from its own packages, never built.
  if (target.image !== undefined) return prepareDistro(target, target.image, o);
  const progress = createProgress(o.clock, o.print);
  progress.phase("check toolchain and source", target.id);
  // Pin check first: it is one `gcc --version`, and a mismatch makes all else moot.
  const runnerCompiler = await compilerIdentity(o.runner);
  const check = checkToolchain(target.toolchain, runnerCompiler);
  if (target.buildId !== undefined) {
    // A kernel built elsewhere: only its exact compiler makes a loadable module.
    enforceToolchain(check, o.allowToolchainMismatch ?? false);
    if (!check.matches) progress.line(`WARNING: toolchain mismatch allowed: ${runnerCompiler}`);
  } else if (!check.matches) {
    // A lab kernel is built here, with this compiler, and so is its module.
    progress.line(
      `note: lab target last pinned '${target.toolchain ?? "(none)"}'; building with '${runnerCompiler}' (recorded in prepared.json)`,
    );
  }
  const debian = debianDeps(o.runner, o.cacheDir);
  const source = await resolveSource(target.source, o.repoDir, debian);
  if (source.debian && !source.debian.pinned) {
    progress.line(
      `source not pinned: using the newest, ${source.debian.package} ${source.debian.version}`,
    );
  }
  const configBase =
    target.config === undefined ? "none" : "file" in target.config ? "file" : target.config.base;
  const kernels = join(o.cacheDir, "kernels");
  const kpatchBuild = o.kpatchBuild ?? (await findKpatchBuild(process.env));
  const toolchain = await kpatchToolchain(o.runner, kpatchBuild);
  const key = kernelKey({
    targetId: target.id,
    source: source.identity,
    configBase,
    configText: target.configText ?? "",
    // The compiler that builds the tree, not the pin: a tree built with
    // another compiler must never be served to a runner with this one.
    toolchain: runnerCompiler,
    flavour: toolchain.flavour,
    arch: target.arch,
  });
  const name = kernelDirName(target.id, key);
  const dir = join(kernels, name);
  const kpatchCache = join(o.cacheDir, "kpatch", basename(dir));
  const make = kpatchMake(toolchain, { tree: entryPaths(dir).tree, kpatchCache });
  const done = (r: PreparedRecord, cached: boolean): PreparedKernel => ({
    ...r,
    dir,
    ...entryPaths(dir),
    cached,
    kpatchCache,
    make,
  });

  const hit = await usable(dir, runnerCompiler, progress);
  if (hit) {
    progress.line(`cached: ${dir}`);
    progress.end();
    return done(hit, true);
  }
  await mkdir(kernels, { recursive: true });
  progress.phase("wait for cache lock");
  const lock = await acquireLock(join(kernels, `${name}.lock`), o.lockDeps ?? processLockDeps, {
    onWait: (pid) => progress.line(`another prepare (pid ${pid}) is building this kernel; waiting`),
  });
  try {
    const again = await usable(dir, runnerCompiler, progress);
    if (again) {
      progress.line(`cached: ${dir} (built by the other prepare)`);
      progress.end();
      return done(again, true);
    }
    // A leftover entry without prepared.json is a crash's remains: rebuild.
    await rm(dir, { recursive: true, force: true });
    // Built in place, under the lock: kbuild records each object's command
    // line, prefix maps included, so the tree must not move after the build
    // or kpatch-build would recompile all of it. prepared.json, written last,
    // is what makes the entry count; a crash leaves an entry without it.
    try {
      const record = await build(target, o, progress, dir, { key, source, make });
      progress.end();
      o.print(`prepared ${target.id} ${record.release} build-id ${record.buildId} in ${dir}`);
      return done(record, false);
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  } finally {
    await lock.release();
  }
}

async function build(
  target: KernelTarget,
  o: PrepareOptions,
  progress: ReturnType<typeof createProgress>,
  entry: string,
  id: { key: string; source: ResolvedSource; make: KpatchMake },
): Promise<PreparedRecord> {
  const p = entryPaths(entry);
  await mkdir(p.pristine, { recursive: true });
  const log = (l: string): Promise<void> => appendFile(p.log, l + "\n");
  progress.phase("unpack source", id.source.identity);
  await fetchSource(o.runner, target.source, id.source, {
    repoDir: o.repoDir,
    tree: p.tree,
    scratch: join(entry, "download"),
    debian: debianDeps(o.runner, o.cacheDir),
  });
  await rm(join(entry, "download"), { recursive: true, force: true });

  progress.phase("configure");
  await configureKernel(o.runner, p.tree, target);
  const release = await releaseCheck(o.runner, p.tree, target);

  const jobs = o.jobs ?? availableParallelism();
  progress.phase(
    "build kernel",
    `make -j${jobs} bzImage modules (kpatch-build's compiler wrapper and flags)`,
  );
  let compiled = 0;
  let pending = Promise.resolve();
  await kernelMake(o.runner, p.tree, [...id.make.makeVars, `-j${jobs}`, "bzImage", "modules"], {
    env: id.make.env,
    onLine: (l) => {
      pending = pending.then(() => log(l));
      if (/^\s+CC\s/.test(l) && ++compiled % 500 === 0) progress.line(`${compiled} files compiled`);
    },
  }).finally(() => pending);

  progress.phase("save pristine files", PRISTINE.map(([, to]) => to).join(", "));
  for (const [from, to] of PRISTINE) await copyFile(join(p.tree, from), join(p.pristine, to));
  const buildId = await readBuildId(o.runner, join(p.pristine, "vmlinux"));
  const config = await readFile(join(p.pristine, ".config"), "utf8");
  progress.end();
  const record: PreparedRecord = {
    schema: 1,
    target: target.id,
    key: id.key,
    source: id.source.identity,
    release,
    arch: target.arch,
    buildId,
    compiler: ccVersionText(config) ?? "",
    timings: { ...progress.timings },
    preparedAt: o.clock.now().toISOString(),
  };
  await writePrepared(entry, record);
  return record;
}

/** A prepared entry, unless its recorded compiler is not this runner's (then it is rebuilt). */
async function usable(
  dir: string,
  compiler: string,
  progress: ReturnType<typeof createProgress>,
): Promise<PreparedRecord | undefined> {
  const hit = await readPrepared(dir);
  if (hit && hit.compiler !== compiler) {
    progress.line(
      `cache entry ${dir} was built with '${hit.compiler}', not '${compiler}': rebuilding`,
    );
    return undefined;
  }
  return hit;
}
