/**
 * Writing build-report.json: validated against the agreed schema first (the
 * publisher trusts its shape), then temp file + rename so a reader never sees
 * half a report.
 */
import { writeFileAtomic } from "../../io/atomic-write.js";
import { fsStep } from "../../io/fs-errors.js";
import { LpctlError } from "../../core/errors.js";
import { BuildReportSchema, type BuildReport } from "../../core/build-report.js";

export async function writeBuildReport(path: string, report: BuildReport): Promise<void> {
  const parsed = BuildReportSchema.safeParse(report);
  if (!parsed.success) {
    throw new LpctlError(
      "BUILD_REPORT_INVALID",
      `refusing to write an invalid build report: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      { cause: parsed.error },
    );
  }
  await fsStep(`write the build report ${path}`, () =>
    writeFileAtomic(path, JSON.stringify(parsed.data, null, 2) + "\n"),
  );
}
