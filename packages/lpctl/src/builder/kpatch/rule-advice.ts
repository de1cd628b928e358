/**
 * What to do about a kpatch-build refusal, in the words of the lint rule that
 * predicts it: the finding the linter reports for the refused patch, so the
 * build failure and the PR review give the same advice.
 */
import { isLpctlError } from "../../core/errors.js";
import type { RuleId } from "../../core/lint/finding.js";
import { lintPatch } from "../../core/lint/lint.js";
import type { LivePatch } from "../../core/patch-meta.js";

/** `file:line: message` of the first `rule` finding in `patches`, or undefined. */
export function ruleAdvice(rule: RuleId, patches: readonly LivePatch[]): string | undefined {
  for (const p of patches) {
    for (const f of p.files) {
      let findings;
      try {
        findings = lintPatch(f.path, f.text);
      } catch (e) {
        // A patch kpatch-build accepted as a diff; if the linter cannot read it, give no advice.
        if (isLpctlError(e)) continue;
        throw e;
      }
      const hit = findings.find((x) => x.rule === rule);
      if (hit !== undefined) return `${hit.file}:${hit.startLine}: ${hit.message}`;
    }
  }
  return undefined;
}
