/**
 * The one PR comment the app keeps, in sections each handler replaces on its
 * own (plan and lint on a push, builds when a run completes, the release
 * after a merge). The body is always rendered whole from the app's own state
 * (comment-state.ts), never parsed back from the comment: anyone who can
 * edit the comment could otherwise plant a section the app keeps. Every
 * piece of untrusted text goes through ./markdown.ts. Pure.
 */
import type { Finding } from "@livepatch-gitops/lpctl/core/lint/finding";
import {
  rebootAction,
  type NotLivePatchable,
} from "@livepatch-gitops/lpctl/core/not-live-patchable";
import type { BuildPlan } from "@livepatch-gitops/lpctl/core/plan";
import { clip } from "./checks.js";
import { cellCode, code } from "./markdown.js";

export const COMMENT_MARKER = "<!-- livepatch-gitops:pr-comment -->";
export const SECTIONS = ["plan", "lint", "checklist", "builds", "release"] as const;
export type Section = (typeof SECTIONS)[number];
export type Sections = Partial<Record<Section, string>>;

/** True when `body` is the app's comment. */
export function isAppComment(body: string | null | undefined): boolean {
  return body?.startsWith(COMMENT_MARKER) ?? false;
}

/** The whole comment for `sections`, in their fixed order. */
export function renderComment(sections: Sections): string {
  const parts = [COMMENT_MARKER, "## livepatch"];
  for (const s of SECTIONS) {
    const text = sections[s];
    if (text !== undefined) parts.push(text.trim());
  }
  return clip(parts.join("\n\n"));
}

/** The plan section: every target with its reasons, then what is known of whether it can be patched. */
export function planSection(plan: BuildPlan, notes: Readonly<Record<string, string>> = {}): string {
  if (plan.targets.length === 0 && plan.emptied.length === 0)
    return "### Plan\n\nNo kernel target is affected: nothing to build.";
  const rows = plan.targets.map(
    (t) => `| ${cellCode(t)} | ${(plan.reasons[t] ?? []).map(cellCode).join("; ")} |`,
  );
  const chunks =
    plan.chunks.length > 1
      ? `\n\nBuilt in ${plan.chunks.length} matrix chunks of at most ${plan.chunks[0]?.length ?? 0} targets.`
      : "";
  const removed = plan.removedTargets.length
    ? `\n\nRemoved targets (dropped from the next manifest): ${plan.removedTargets.map(code).join(", ")}`
    : "";
  const emptied = plan.emptied.length
    ? `\n\nLeft without an active patch (the next manifest has no module for them; hosts unload theirs): ${plan.emptied.map(code).join(", ")}`
    : "";
  const known = plan.targets.filter((t) => notes[t] !== undefined);
  const noted = known.length
    ? `\n\n${known.map((t) => `- ${code(t)}: ${code(notes[t] ?? "")}`).join("\n")}`
    : "";
  const table = rows.length
    ? `| target | why |\n| --- | --- |\n${rows.join("\n")}`
    : "Nothing to build.";
  return `### Plan\n\n${table}${noted}${chunks}${removed}${emptied}`;
}

/** The lint section: every finding with its location. */
export function lintSection(findings: readonly Finding[]): string {
  if (findings.length === 0) return "### Safety lint\n\nNo findings.";
  const lines = findings.map(
    (f) =>
      `- **${f.severity}** ${code(f.rule)} ${code(f.patch)} → ${code(`${f.file}:${f.startLine}`)}: ${code(f.message)}`,
  );
  return `### Safety lint\n\n${lines.join("\n")}`;
}

/** What kpatch cannot check, by rule: the reviewer's part. */
const CHECKLIST: Partial<Record<Finding["rule"], string>> = {
  "inline-function-change":
    "Every caller of a changed inline function is rebuilt (kpatch patches callers, not the inline body); review them.",
  "data-structure-change":
    "A changed data structure needs shadow variables or a callback: confirm existing instances stay valid.",
  "static-initializer-change":
    "A changed static initializer does not re-run on a live system: confirm the patch does not rely on it.",
  "init-code":
    "Changed __init code never runs again after boot: confirm the fix is not needed there.",
  "header-change":
    "A header change rebuilds every includer: confirm the list of changed functions in the builds below.",
  "signature-change":
    "A changed function signature changes every caller: confirm all of them are in the patch.",
  "static-local-removed":
    "A removed static local loses its state on the switch: confirm nothing reads it.",
  "jump-label-or-static-call":
    "Jump labels and static calls are resolved at load: confirm the build's verdict below.",
};

/** The reviewer checklist generated from the findings. */
export function checklistSection(findings: readonly Finding[]): string {
  const items = new Set<string>([
    "Locking: the patched functions take and release the same locks as before, in the same order.",
    "Data semantics: live objects created by the old code stay valid for the new code (and the reverse, during the transition).",
  ]);
  for (const f of findings) {
    const item = CHECKLIST[f.rule];
    if (item) items.add(item);
  }
  return `### Reviewer checklist\n\n${[...items].map((i) => `- [ ] ${i}`).join("\n")}`;
}

/** The records a PR declares, appended to its plan: CVEs hosts must reboot for. */
export function recordsText(
  records: readonly { patch: string; targets: readonly string[]; record: NotLivePatchable }[],
): string {
  if (records.length === 0) return "";
  const rows = records.map(
    ({ patch, targets, record }) =>
      `| ${cellCode(record.cve)} | ${cellCode(patch)} | ${targets.map(cellCode).join(", ")} | ${cellCode(rebootAction(record))} |`,
  );
  return `\n\nNot live patchable (no module fixes these; hosts and scanners are told to reboot):\n\n| CVE | patch | kernels | action |\n| --- | --- | --- | --- |\n${rows.join("\n")}`;
}
