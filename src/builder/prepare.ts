/**
 * `lpctl kernel prepare`: a configured, built kernel tree for a target, with
 * pristine copies of what kpatch-build needs, in a content-addressed cache.
 * Built in a temp dir and renamed into place, so a failed or killed prepare
 * leaves no half entry; a lock makes concurrent prepares of a key wait.
 */
import { appendFile, copyFile, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { KernelTarget } from "../core/target.js";
import { readBuildId } from "./build-id.js";
import { kernelDirName, kernelKey } from "./cache-key.js";
import type { Clock } from "./clock.js";
import { ccVersionText } from "./config-fragment.js";
import { configureKernel } from "./kernel-config.js";
import { kernelMake } from "./kernel-make.js";
import { acquireLock, processLockDeps, type LockDeps } from "./lock.js";
import { entryPaths, readPrepared, writePrepared, type PreparedRecord } from "./prepared-record.js";
import { createProgress } from "./progress.js";
import { releaseCheck } from "./release-check.js";
import type { Runner } from "./runner.js";
import { fetchSource, sourceIdentity } from "./source.js";
import { compilerIdentity, checkToolchain, enforceToolchain } from "./toolchain.js";

export interface PrepareOptions {
  runner: Runner;
  clock: Clock;
  print: (line: string) => void;
  cacheDir: string;
  repoDir: string;
  jobs?: number;
  allowToolchainMismatch?: boolean;
  lockDeps?: LockDeps;
}

export interface PreparedKernel extends PreparedRecord {
  dir: string;
  tree: string;
  pristine: string;
  cached: boolean;
  /** Compiler the runner has (differs from `compiler` only with an allowed mismatch). */
  runnerCompiler: string;
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
  const progress = createProgress(o.clock, o.print);
  progress.phase("check toolchain and source", target.id);
  // Pin check first: it is one `gcc --version`, and a mismatch makes all else moot.
  const runnerCompiler = await compilerIdentity(o.runner);
  const check = checkToolchain(target.toolchain, runnerCompiler);
  enforceToolchain(check, o.allowToolchainMismatch ?? false);
  if (!check.matches) progress.line(`WARNING: toolchain mismatch allowed: ${runnerCompiler}`);
  const source = await sourceIdentity(o.runner, target.source, o.repoDir);
  const configBase = "file" in target.config ? "file" : target.config.base;
  const key = kernelKey({
    targetId: target.id,
    source,
    configBase,
    configText: target.configText ?? "",
    toolchain: target.toolchain,
    arch: target.arch,
  });
  const name = kernelDirName(target.id, key);
  const kernels = join(o.cacheDir, "kernels");
  const dir = join(kernels, name);
  const done = (r: PreparedRecord, cached: boolean): PreparedKernel => ({
    ...r,
    dir,
    ...entryPaths(dir),
    cached,
    runnerCompiler,
  });

  const hit = await readPrepared(dir);
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
    const again = await readPrepared(dir);
    if (again) {
      progress.line(`cached: ${dir} (built by the other prepare)`);
      progress.end();
      return done(again, true);
    }
    // A leftover entry without prepared.json is a crash's remains: rebuild.
    await rm(dir, { recursive: true, force: true });
    // Temp trees of killed prepares of this key: we hold its lock, so none is live.
    for (const leftover of (await readdir(kernels)).filter((f) => f.startsWith(`.tmp-${name}-`))) {
      await rm(join(kernels, leftover), { recursive: true, force: true });
    }
    const tmp = join(kernels, `.tmp-${name}-${process.pid}`);
    try {
      const record = await build(target, o, progress, tmp, { key, source });
      await rename(tmp, dir);
      progress.end();
      o.print(`prepared ${target.id} ${record.release} build-id ${record.buildId} in ${dir}`);
      return done(record, false);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
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
  tmp: string,
  id: { key: string; source: string },
): Promise<PreparedRecord> {
  const p = entryPaths(tmp);
  await mkdir(p.pristine, { recursive: true });
  const log = (l: string): Promise<void> => appendFile(p.log, l + "\n");
  progress.phase("unpack source");
  await fetchSource(o.runner, target.source, o.repoDir, p.tree, join(tmp, "download"));
  await rm(join(tmp, "download"), { recursive: true, force: true });

  progress.phase("configure");
  await configureKernel(o.runner, p.tree, target);
  const release = await releaseCheck(o.runner, p.tree, target);

  const jobs = o.jobs ?? availableParallelism();
  progress.phase("build kernel", `make -j${jobs} bzImage modules`);
  let compiled = 0;
  let pending = Promise.resolve();
  // DWARF records the build directory, a per-pid temp path here, and the
  // GNU build-id hashes it: map it away so the same inputs give the same
  // build-id wherever (and by whichever process) the kernel was built.
  const prefixMap = `-fdebug-prefix-map=${p.tree}=.`;
  await kernelMake(o.runner, p.tree, [`-j${jobs}`, "bzImage", "modules"], {
    env: { KCFLAGS: prefixMap, KAFLAGS: prefixMap },
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
    source: id.source,
    release,
    arch: target.arch,
    buildId,
    compiler: ccVersionText(config) ?? "",
    timings: { ...progress.timings },
    preparedAt: o.clock.date().toISOString(),
  };
  await writePrepared(tmp, record);
  return record;
}
