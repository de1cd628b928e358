/**
 * `lpctl build`: the cumulative live patch module for one kernel target,
 * built by kpatch-build on the prepared (cached) tree, with a validated
 * build-report.json beside it. A failed build writes a failure report and
 * leaves no module behind.
 */
import { existsSync } from "node:fs";
import { appendFile, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, join, resolve } from "node:path";
import type { BuildReport, BuildSource } from "../../core/build-report.js";
import { LpctlError } from "../../core/errors.js";
import { fsStep } from "../../io/fs-errors.js";
import type { LivePatch } from "../../core/patch-meta.js";
import { classifyFailure, failureError } from "../kpatch/build-failure.js";
import { runBuildLint } from "../lint/build-lint-step.js";
import { loadBuildInputs, refuseInvalidPatchFiles } from "./build-inputs.js";
import type { Clock } from "../../io/clock.js";
import { parseKpatchOutput } from "../kpatch/kpatch-output.js";
import { runKpatchBuild } from "../kpatch/kpatch-run.js";
import { acquireLock } from "../cache/lock.js";
import { devSerial, moduleName } from "../module/livepatch-module-name.js";
import { moduleInfo, patchDigest, stripDebug } from "../module/module-info.js";
import {
  keepForReuse,
  mayKeep,
  reuseEnabled,
  reuseKey,
  takeReused,
} from "../module/module-reuse.js";
import { prepareKernel, type PreparedKernel } from "../kernel/prepare.js";
import { createProgress } from "../runtime/progress.js";
import { objectPrecheck, OBJECT_ENGINE_TRAITS, runDistroBuild } from "../distro/distro-build.js";
import { writeRefusalReport } from "../kpatch/refusal-report.js";
import { writeBuildReport } from "./report-write.js";
import { stagePatches } from "./stage-patches.js";
import type { Runner } from "../runtime/runner.js";
import { findKpatchBuild, kpatchBuildVersion } from "../runtime/tools.js";

export interface BuildOptions {
  runner: Runner;
  clock: Clock;
  print: (line: string) => void;
  env: NodeJS.ProcessEnv;
  repoDir: string;
  cacheDir: string;
  targetId: string;
  patchIds?: string[];
  outDir: string;
  jobs?: number;
  /** Manifest version; default devSerial() of the patch set. */
  serial?: string;
  allowToolchainMismatch?: boolean;
  /** Where the build came from (repository, commit, run): recorded for the signer. */
  source?: BuildSource;
  /** Runs after a successful build (the VM boot test); its seconds go into timings. */
  afterBuild?: (built: BuiltModule) => Promise<void>;
  /** Default: the per-object engine for a distribution kernel, kpatch-build for a kernel compiled here. */
  engine?: BuildEngine;
}

/**
 * kpatch-build needs the kernel fully built with its flags (the lab target);
 * the per-object engine compiles only the changed objects, and runs on both
 * kinds (on the lab target to be compared with kpatch-build).
 */
export const BUILD_ENGINES = ["kpatch-build", "per-object"] as const;
export type BuildEngine = (typeof BUILD_ENGINES)[number];

export interface BuiltModule {
  modulePath: string;
  report: BuildReport;
  prepared: PreparedKernel;
  patches: LivePatch[];
}

export interface BuildResult {
  report: BuildReport;
  reportPath: string;
  modulePath?: string;
}

export async function buildModule(o: BuildOptions): Promise<BuildResult> {
  const startedAt = o.clock.now().toISOString();
  const { target, patches, warnings, refused } = await loadBuildInputs(
    o.repoDir,
    o.targetId,
    o.patchIds,
  );
  for (const w of warnings) o.print(`warning: ${w}`);
  refuseInvalidPatchFiles(refused);
  if (patches.length === 0) {
    throw new LpctlError(
      "PATCH_INVALID",
      `no patch in patches/ targets kernel '${target.id}'; nothing to build`,
    );
  }
  const kpatchBuild = await findKpatchBuild(o.env);
  const kpatchVersion = await kpatchBuildVersion(o.runner, kpatchBuild);
  const jobs = o.jobs ?? availableParallelism();
  const prepareStart = o.clock.monotonicMs();
  const builtHere = target.image === undefined;
  const engine = o.engine ?? (builtHere ? "kpatch-build" : "per-object");
  if (engine === "kpatch-build" && !builtHere) {
    throw new LpctlError(
      "USAGE",
      `target ${target.id} is a distribution's binary kernel, which this project never compiles, ` +
        `and kpatch-build needs the whole kernel built with its flags; build it with the per-object engine (the default)`,
      { details: { target: target.id, engine } },
    );
  }
  const perObject = engine === "per-object";
  const digests = patches.map((p) => ({ id: p.id, sha256: patchDigest(p.files) }));
  const prepared = await prepareKernel(target, {
    ...o,
    jobs,
    kpatchBuild,
    // The per-object engine refuses unsupported changes before the long work.
    ...(perObject ? { precheck: objectPrecheck(o.runner, patches, target.id) } : {}),
  }).catch(async (e: unknown) => {
    await writeRefusalReport(e, {
      target,
      outDir: resolve(o.outDir),
      patches: digests,
      ...(o.source ? { source: o.source } : {}),
      compiler: target.toolchain ?? "",
      kpatchBuild: perObject ? `${kpatchVersion} (per-object engine)` : kpatchVersion,
      startedAt,
      finishedAt: o.clock.now().toISOString(),
    });
    throw e;
  });
  const prepareSecs = Math.round((o.clock.monotonicMs() - prepareStart) / 100) / 10;

  const progress = createProgress(o.clock, o.print);
  const name = moduleName(target.id, o.serial ?? devSerial(digests));
  const outDir = resolve(o.outDir);
  progress.phase("stage patches", patches.map((p) => p.id).join(", "));
  const { modulePath, reportPath, staging, patchFiles, fileMap } = await stagePatches(
    outDir,
    name,
    patches,
  );

  progress.phase("wait for kernel tree");
  const treeLock = await acquireLock(`${prepared.dir}.build.lock`, undefined, {
    onWait: (pid) => progress.line(`another build (pid ${pid}) uses this kernel tree; waiting`),
  });
  const kpatchCache = prepared.kpatchCache;
  let run;
  let lint;
  try {
    // Under the tree lock: another build's kpatch-build patches these sources in place.
    progress.phase("lint", "source-aware, on the prepared tree");
    lint = await runBuildLint(
      prepared,
      patches,
      o.runner,
      (l) => progress.line(l),
      perObject ? OBJECT_ENGINE_TRAITS : kpatchBuild,
    );
    // Reuse keeps kpatch-build's modules only (keepForReuse below).
    const key =
      !perObject && reuseEnabled(o.env)
        ? reuseKey({ kernelKey: prepared.key, kpatchVersion, name, patches: digests })
        : undefined;
    const reused = key === undefined ? undefined : await takeReused(o.cacheDir, key, modulePath);
    if (reused) {
      progress.phase("kpatch-build", `reusing the module built from the same inputs (${key})`);
      await writeFile(join(outDir, "build.log"), `${reused.lines.join("\n")}\n`);
      run = { exitCode: 0, lines: reused.lines };
    } else if (perObject) {
      progress.phase("per-object build", `kpatch ${kpatchVersion} tools -n ${name}`);
      run = await runDistroBuild(o.runner, {
        prepared,
        builtHere,
        patches,
        targetId: target.id,
        kpatchBuild,
        patchFiles,
        name,
        outDir,
        jobs,
        logFile: join(outDir, "build.log"),
        onLine: (l) => progress.line(l),
        onSpawn: (pid) => treeLock.addPid(pid),
      });
    } else {
      progress.phase("kpatch-build", `${kpatchVersion} -n ${name}`);
      run = await runKpatchBuild(o.runner, {
        kpatchBuild,
        tree: prepared.tree,
        pristineVmlinux: join(prepared.pristine, "vmlinux"),
        // The tree's own .config: another path would be copied over it, making make reconfigure.
        config: join(prepared.tree, ".config"),
        jobs,
        name,
        outDir,
        patchFiles,
        cacheDir: kpatchCache,
        // Prepare's own compiler flags: kpatch-build then finds the original tree up to date.
        env: prepared.make.env,
        logFile: join(outDir, "build.log"),
        onLine: (l) => progress.line(l),
        onSpawn: (pid) => treeLock.addPid(pid),
      });
      if (key !== undefined && mayKeep(o.env) && run.exitCode === 0 && existsSync(modulePath)) {
        await keepForReuse(o.cacheDir, key, modulePath, run.lines);
      }
    }
  } finally {
    await treeLock.release();
    await rm(staging, { recursive: true, force: true });
  }
  const parsed = parseKpatchOutput(run.lines.join("\n"));
  const ok = run.exitCode === 0 && existsSync(modulePath);
  // prepared.compiler is this runner's (the cache key holds it). Lab kernels
  // are built with it, so only a kernel built elsewhere can mismatch.
  const mismatch = target.buildId !== undefined && prepared.compiler !== target.toolchain;
  const base = {
    schema: 1 as const,
    target: target.id,
    release: prepared.release,
    arch: target.arch,
    kernelSource: prepared.source,
    buildId: prepared.buildId,
    ...(target.image ? { image: target.image } : {}),
    patches: digests,
    ...(o.source ? { source: o.source } : {}),
    changes: parsed.changes,
    patchedObjects: parsed.patchedObjects,
    warnings: [
      ...parsed.warnings,
      ...(mismatch
        ? [
            `toolchain mismatch allowed: target pins ${target.toolchain ?? "?"}, runner has ${prepared.compiler}`,
          ]
        : []),
    ],
    lint,
    toolchain: {
      compiler: prepared.compiler,
      kpatchBuild: perObject ? `${kpatchVersion} (per-object engine)` : kpatchVersion,
      mismatchAllowed: mismatch,
    },
    startedAt,
  };
  if (!ok) {
    await rm(modulePath, { force: true });
    await appendKpatchLog(join(outDir, "build.log"), join(kpatchCache, "build.log"));
    const failure = classifyFailure(run.lines, parsed, patches, fileMap);
    progress.end();
    const report: BuildReport = {
      ...base,
      result: "failure",
      error: failure,
      timings: { prepare: prepareSecs, ...progress.timings },
      finishedAt: o.clock.now().toISOString(),
    };
    await writeBuildReport(reportPath, report);
    throw failureError(failure, reportPath);
  }
  await stripDebug(o.runner, modulePath);
  const info = await moduleInfo(o.runner, modulePath);
  if (!info.livepatch) {
    throw new LpctlError(
      "KPATCH_BUILD_FAILED",
      `${modulePath} is not a livepatch module (modinfo livepatch != Y)`,
    );
  }
  const report: BuildReport = {
    ...base,
    result: "success",
    module: {
      file: basename(modulePath),
      name,
      sha256: info.sha256,
      length: info.length,
      vermagic: info.vermagic,
    },
    timings: {},
    finishedAt: "",
  };
  if (o.afterBuild) {
    progress.phase("vm-test");
    try {
      await o.afterBuild({ modulePath, report, prepared, patches });
    } catch (e) {
      // A module that failed its boot test is not a build result anyone should ship.
      await rm(modulePath, { force: true });
      progress.end();
      const code = e instanceof LpctlError ? e.code : "VM_TEST_FAILED";
      const message = e instanceof Error ? e.message : String(e);
      await writeBuildReport(reportPath, {
        ...report,
        module: undefined,
        result: "failure",
        error: { code, message, logTail: message.split("\n").slice(-30) },
        timings: { prepare: prepareSecs, ...progress.timings },
        finishedAt: o.clock.now().toISOString(),
      });
      throw e;
    }
  }
  progress.end();
  report.timings = { prepare: prepareSecs, ...progress.timings };
  report.finishedAt = o.clock.now().toISOString();
  await writeBuildReport(reportPath, report);
  o.print(
    `built ${modulePath} (${parsed.changes.length} changed function(s)); report ${reportPath}`,
  );
  return { report, reportPath, modulePath };
}

/**
 * The end of kpatch-build's own log (patch, make and create-diff-object
 * detail) for a failed run, kept in OUT. Only the end: a warm run's log is
 * ~20 MB of linker warnings, and the cause is at its end.
 */
async function appendKpatchLog(outLog: string, kpatchLog: string): Promise<void> {
  const detail = await readFile(kpatchLog, "utf8").catch(() => undefined);
  if (detail === undefined) return;
  const tail = detail.trimEnd().split("\n").slice(-KPATCH_LOG_TAIL).join("\n");
  await fsStep(`append to ${outLog}`, () =>
    appendFile(outLog, `\n--- last ${KPATCH_LOG_TAIL} lines of ${kpatchLog} ---\n${tail}\n`),
  );
}

const KPATCH_LOG_TAIL = 200;
