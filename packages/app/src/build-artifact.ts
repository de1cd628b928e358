/**
 * One build artifact (`build-<target>`) read as untrusted data: its
 * `build-report.json` validated against the report schema, strictly parsed,
 * and naming the target its artifact is named after. Pure.
 */
import {
  BuildReportSchema,
  TargetIdSchema,
  type BuildReport,
} from "@livepatch-gitops/lpctl/core/build-report";
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import { fieldPath } from "@livepatch-gitops/lpctl/core/schema-issues";
import { parseStrictJson } from "@livepatch-gitops/lpctl/core/strict-json";

export const ARTIFACT_PREFIX = "build-";
export const REPORT_FILE = "build-report.json";
const MAX_REPORT_BYTES = 4 * 1024 * 1024;

/** The target an artifact name stands for, or undefined when it is not a build artifact. */
export function artifactTarget(name: string): string | undefined {
  if (!name.startsWith(ARTIFACT_PREFIX)) return undefined;
  const id = name.slice(ARTIFACT_PREFIX.length);
  return TargetIdSchema.safeParse(id).success ? id : undefined;
}

/** The validated report in `files`; throws BUILD_REPORT_INVALID with the field path. */
export function readReport(target: string, files: ReadonlyMap<string, Uint8Array>): BuildReport {
  const bytes = files.get(REPORT_FILE);
  const where = `${ARTIFACT_PREFIX}${target}/${REPORT_FILE}`;
  if (bytes === undefined)
    throw new LpctlError("BUILD_REPORT_INVALID", `${where} is missing from the artifact`);
  if (bytes.length > MAX_REPORT_BYTES)
    throw new LpctlError(
      "BUILD_REPORT_INVALID",
      `${where} is larger than ${MAX_REPORT_BYTES} bytes`,
    );
  const value = parseStrictJson(bytes, where, {
    malformed: "BUILD_REPORT_INVALID",
    duplicate: "BUILD_REPORT_INVALID",
  });
  const parsed = BuildReportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LpctlError(
      "BUILD_REPORT_INVALID",
      `${where}: ${fieldPath(issue?.path ?? [])}: ${issue?.message ?? "invalid"}`,
    );
  }
  if (parsed.data.target !== target)
    throw new LpctlError(
      "BUILD_REPORT_INVALID",
      `${where} reports target '${parsed.data.target}', not '${target}'`,
    );
  return parsed.data;
}
