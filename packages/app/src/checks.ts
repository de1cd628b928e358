/**
 * Check-run names and payloads. Pure: the handlers send what these return.
 * GitHub takes at most 50 annotations per create/update request and appends
 * further batches, and caps summary and text at 65535 characters.
 */
import type { BuildReport } from "@livepatch-gitops/lpctl/core/build-report";
import { code, codeBlock, plain } from "./markdown.js";

export const CHECK = {
  lint: "livepatch / lint",
  review: "livepatch / safety review",
  policy: "livepatch / policy",
  /** On pull requests that change .github/livepatch-rings.yml (ring promotions). */
  rings: "livepatch / rings",
  /** Carries a failure to read a PR run's results at all (each target's own check carries its build). */
  buildResults: "livepatch / build results",
  build: (target: string) => `livepatch / build (${target})`,
} as const;

export const MAX_ANNOTATIONS_PER_REQUEST = 50;
const MAX_TEXT = 65_535;

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning" | "notice";
  message: string;
  title?: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: Annotation[];
}

export type Conclusion = "success" | "failure" | "neutral" | "action_required";

/** `annotations` in request-sized batches, in order. */
export function annotationBatches<T>(
  annotations: readonly T[],
  size = MAX_ANNOTATIONS_PER_REQUEST,
): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < annotations.length; i += size) out.push(annotations.slice(i, i + size));
  return out;
}

/** `text` cut to GitHub's limit, saying so. */
export function clip(text: string, max = MAX_TEXT): string {
  if (text.length <= max) return text;
  const note = "\n\n… (cut: see the workflow run for the rest)";
  return text.slice(0, max - note.length) + note;
}

/**
 * The completed build check for one target's report. The report is the PR
 * build's: every field of it is shown as code (./markdown.ts).
 */
export function buildCheckOutput(
  report: BuildReport,
  runUrl?: string,
): { conclusion: Conclusion; output: CheckOutput } {
  const ok = report.result === "success";
  const lines: string[] = [];
  const byObject = new Map<string, string[]>();
  for (const c of report.changes)
    byObject.set(c.object, [
      ...(byObject.get(c.object) ?? []),
      `${code(c.function)}${c.kind === "new" ? " (new)" : ""}`,
    ]);
  if (byObject.size > 0) {
    lines.push("### Changed functions", "");
    for (const [object, fns] of [...byObject].sort())
      lines.push(`- ${code(object)}: ${fns.join(", ")}`);
  }
  if (report.warnings.length > 0)
    lines.push("", "### Warnings", "", ...report.warnings.map((w) => `- ${code(w)}`));
  const timings = Object.entries(report.timings);
  if (timings.length > 0)
    lines.push(
      "",
      "### Timings",
      "",
      ...timings.map(([k, v]) => `- ${code(k)}: ${v.toFixed(1)} s`),
    );
  if (!ok && report.error) {
    lines.push(
      "",
      `### Failure: ${code(report.error.code)}`,
      "",
      codeBlock([report.error.message]),
    );
    if (report.error.logTail.length > 0) lines.push("", codeBlock(report.error.logTail));
  }
  if (runUrl) lines.push("", `Workflow run: ${runUrl}`);
  const module = report.module
    ? `module ${code(report.module.file)} (${report.module.length} bytes)`
    : "no module";
  return {
    conclusion: ok ? "success" : "failure",
    output: {
      title: plain(
        ok
          ? `built: ${report.changes.length} function(s) changed`
          : `build failed: ${report.error?.code ?? "see the log"}`,
      ),
      summary: clip(
        `${code(report.target)} (${code(report.release)}, ${code(report.arch)}): ${module}`,
      ),
      text: clip(lines.join("\n")),
    },
  };
}

/**
 * A check that failed because the app itself could not finish (never
 * silently). The reason may quote untrusted input (an artifact's entry
 * name, a YAML value): it is shown as a code block.
 */
export function failureOutput(what: string, reason: string, deliveryId?: string): CheckOutput {
  return {
    title: plain(`${what} failed`),
    summary: clip(
      `${codeBlock([reason])}${deliveryId ? `\n\nWebhook delivery ${code(deliveryId)}; the app's log has the details.` : ""}`,
    ),
  };
}
