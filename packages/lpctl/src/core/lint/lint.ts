/**
 * Static live-patch safety analysis after kpatch's patch author guide: pure
 * (patch text in, findings out), so the CLI, the forge bot and tests share it.
 */
import { parseDiff, type DiffFile } from "../diff.js";
import { isLpctlError, LpctlError } from "../errors.js";
import { compareFindings, type Finding } from "./finding.js";
import { RULES } from "./registry.js";
import type { Hit, Rule } from "./rule.js";
import { expandDiffFile } from "./expand.js";
import { problemFinding, withDocLink } from "./problem-finding.js";
import type { SourceFacts } from "./source-facts.js";
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
    message: withDocLink(worst.message, rule.id),
  };
}

/** A file of the diff as the rules see it: widened to whole constructs when the source is known. */
function viewOf(path: string, diff: DiffFile, facts: SourceFacts | undefined) {
  const original = facts?.files.get(diff.path);
  if (facts === undefined || original === undefined || diff.oldPath === undefined) {
    return { view: buildFileView(diff, facts) };
  }
  const x = expandDiffFile(diff, original);
  if ("diff" in x) return { view: buildFileView(x.diff, facts, true) };
  const { hunk, line } = x.mismatch;
  const finding = problemFinding(path, {
    path: "",
    message: `${diff.path}: hunk ${hunk} does not match the target's source at line ${line}, so patch -p1 would fail or apply with fuzz; rebase the patch on the target's exact source`,
  });
  return { view: buildFileView(diff, facts), finding };
}

/**
 * Lints one patch; throws PATCH_INVALID naming `path` when the text is not a
 * diff. With `facts` from the target's source, each changed file is judged on
 * its whole enclosing constructs and the real definitions.
 */
export function lintPatch(
  path: string,
  text: string,
  facts?: SourceFacts,
  parsed?: DiffFile[],
): Finding[] {
  let files: DiffFile[];
  try {
    files = parsed ?? parseDiff(text);
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
    const { view: file, finding } = viewOf(path, diff, facts);
    file.patchFiles = files;
    if (finding) findings.push(finding);
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
