/**
 * A target or patch this engine refuses before building (an IBT kernel, an
 * object the config does not build, …) still gets a failure
 * build-report.json, so the app's PR comment names the refusal per target
 * instead of "the run ended without an artifact". Only targets whose
 * identity target.yaml already pins (Debian binary kernels) have one yet.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { BuildSource } from "../../core/build-report.js";
import { isLpctlError, type ErrorCode } from "../../core/errors.js";
import type { KernelTarget } from "../../core/target.js";
import { writeBuildReport } from "../build/report-write.js";

/** Refusals decided from the target and the patches alone, before any compiling. */
const REFUSALS: ReadonlySet<ErrorCode> = new Set([
  "KERNEL_UNPATCHABLE",
  "PATCH_OBJECT_UNSUPPORTED",
  "HEADER_CHANGE_TOO_WIDE",
  "TOOLCHAIN_MISMATCH",
]);

export interface RefusalInputs {
  target: KernelTarget;
  outDir: string;
  patches: { id: string; sha256: string }[];
  source?: BuildSource;
  compiler: string;
  kpatchBuild: string;
  startedAt: string;
  finishedAt: string;
}

/** Writes OUT/build-report.json for `e` when it is a refusal and the target pins a build-id. */
export async function writeRefusalReport(e: unknown, r: RefusalInputs): Promise<void> {
  if (!isLpctlError(e) || !REFUSALS.has(e.code) || r.target.buildId === undefined) return;
  await mkdir(r.outDir, { recursive: true });
  const patch = typeof e.details?.patch === "string" ? { patch: e.details.patch } : {};
  await writeBuildReport(join(r.outDir, "build-report.json"), {
    schema: 1,
    target: r.target.id,
    release: r.target.release,
    arch: r.target.arch,
    buildId: r.target.buildId,
    result: "failure",
    patches: r.patches,
    changes: [],
    patchedObjects: [],
    warnings: [],
    error: { code: e.code, message: e.message, ...patch, logTail: [] },
    toolchain: { compiler: r.compiler, kpatchBuild: r.kpatchBuild, mismatchAllowed: false },
    timings: {},
    ...(r.source ? { source: r.source } : {}),
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  });
}
