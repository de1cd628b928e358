/**
 * Static live-patch safety analysis after kpatch's patch author guide: pure
 * (patch text in, findings out), so the CLI, the forge bot and tests share it.
 */
import { parseDiff, type DiffFile } from "../diff.js";
import { isLpctlError, LpctlError } from "../errors.js";
import { compareFindings, type Finding } from "./finding.js";
import { RULES } from "./registry.js";
import type { Hit, Rule } from "./rule.js";
import { buildFileView, type HunkView } from "./view.js";

/** Merges a rule's hits in one hunk into one finding: the worst severity, the widest range. */
function merge(patch: string, h: HunkView, rule: Rule, hits: Hit[]): Finding | undefined {
  const anchors = hits.flatMap((x) => x.lines.map((l) => l.anchor));
  if (anchors.length === 0) return undefined;
  const worst = hits.find((x) => x.severity === "error") ?? hits[0];
  return {
    patch,
    file: h.file.path,
    startLine: Math.min(...anchors),
    endLine: Math.max(...anchors),
    severity: worst.severity,
    rule: rule.id,
    message: worst.message,
  };
}

/** Lints one patch; throws PATCH_INVALID naming `path` when the text is not a diff. */
export function lintPatch(path: string, text: string): Finding[] {
  let files: DiffFile[];
  try {
    files = parseDiff(text);
  } catch (e) {
    if (!isLpctlError(e, "PATCH_INVALID")) throw e;
    throw new LpctlError("PATCH_INVALID", `${path}: ${e.message}`, {
      cause: e,
      details: { ...e.details, file: path },
    });
  }
  const findings: Finding[] = [];
  for (const diff of files) {
    if (diff.binary) continue;
    const file = buildFileView(diff);
    for (const h of file.hunks) {
      for (const rule of RULES) {
        if (rule.cOnly && !file.isC) continue;
        const f = merge(path, h, rule, rule.check(h));
        if (f) findings.push(f);
      }
    }
  }
  return findings.sort(compareFindings);
}

export interface LintResult {
  findings: Finding[];
  errors: number;
  warnings: number;
}

/** Lints several patches, keeping their order, and counts the findings by severity. */
export function lintPatches(patches: readonly { path: string; text: string }[]): LintResult {
  const findings = patches.flatMap((p) => lintPatch(p.path, p.text));
  const errors = findings.filter((f) => f.severity === "error").length;
  return { findings, errors, warnings: findings.length - errors };
}
