/**
 * Which check decided, when they disagree. A pull request meets three
 * verdicts on the same patch: the lint check (diff only, at the push), the
 * build check (kpatch-build or the per-object engine) and the source-aware
 * lint the build ran on the target's tree. When they do not agree the
 * comment says which one decided and why, so a reviewer does not have to
 * reconcile a green lint with a red build (or the reverse) on their own.
 * Pure: the lint check's state and the build outcomes in, markdown out.
 */
import type { BuildReport } from "@livepatch-gitops/lpctl/core/build-report";
import { code } from "./markdown.js";

/** The `livepatch / lint` check run on the head commit, as GitHub holds it. */
export interface LintCheckState {
  conclusion: string | null;
  title: string | null;
}

export type BuildOutcome =
  { target: string; report: BuildReport } | { target: string; error: string };

const LINT = "the lint check (diff only)";

/** One sentence per target whose checks disagree; empty when they all agree. */
export function decidedLines(
  lint: LintCheckState | undefined,
  outcomes: readonly BuildOutcome[],
): string[] {
  if (lint?.conclusion !== "success" && lint?.conclusion !== "failure") return [];
  const lintPassed = lint.conclusion === "success";
  const lintSaid = `${LINT} ${lintPassed ? "passed" : "failed"}${lint.title ? ` (${code(lint.title)})` : ""}`;
  const lines: string[] = [];
  for (const o of outcomes) {
    const t = code(o.target);
    if ("error" in o) continue; // No report: the build says nothing about the patch.
    const r = o.report;
    const source = r.lint && !r.lint.failed ? r.lint : undefined;
    const firstError = source?.findings.find((f) => f.severity === "error");
    const sourceSaid = firstError
      ? `the source-aware lint on ${t}'s tree found ${source?.errors ?? 0} error(s), first ${code(firstError.rule)} at ${code(`${firstError.file}:${firstError.startLine}`)}`
      : source
        ? `the source-aware lint on ${t}'s tree found no error`
        : undefined;
    if (r.result === "failure") {
      if (!lintPassed) continue; // Both refused: they agree.
      const rule = r.error?.rule ? ` (rule ${code(r.error.rule)})` : "";
      const why = r.error ? `${code(r.error.message)}${rule}` : "no error message";
      lines.push(
        `- ${t}: **the build decided**: ${lintSaid}, but the build refused: ${why}` +
          (sourceSaid ? `; ${sourceSaid}.` : "."),
      );
    } else if (!lintPassed) {
      lines.push(
        `- ${t}: **the lint decided**: the build succeeded, but ${lintSaid} and its errors block the merge (see the safety lint above)` +
          (sourceSaid && !firstError
            ? `; ${sourceSaid}: the diff-only finding may be one only the source decides (${code(`lpctl lint --target ${o.target}`)}).`
            : "."),
      );
    } else if (firstError) {
      lines.push(
        `- ${t}: **the source-aware lint disagrees**: ${lintSaid} and the build succeeded, but ${sourceSaid} (annotated on the build check): review it before merging.`,
      );
    }
  }
  return lines;
}

/** The paragraph for the builds section, or "" when the checks agree. */
export function decidedParagraph(
  lint: LintCheckState | undefined,
  outcomes: readonly BuildOutcome[],
): string {
  const lines = decidedLines(lint, outcomes);
  return lines.length === 0 ? "" : `\n\n**Which check decided**\n\n${lines.join("\n")}`;
}
