/**
 * One verdict for validate and lint: a patch file first goes through the same
 * checks `validate` runs (size, binary, encoding, CRLF, unsafe paths or paths
 * -p1 would misread), each reported as a `patch-file` finding; only a usable
 * diff is then linted, and checked against the repository's patch style.
 */
import { checkPatchFile } from "../patch-file-check.js";
import { SIZE_LIMITS, type RepoEntry } from "../repo-snapshot.js";
import { compareFindings, type Finding } from "./finding.js";
import { lintPatch } from "./lint.js";
import { patchStyleFinding, type PatchStyle } from "./patch-style.js";
import { problemFinding } from "./problem-finding.js";
import type { SourceFacts } from "./source-facts.js";

/**
 * Lints a patch file read as a repository entry; never throws for bad content.
 * `style` is the repository's wanted patch style, if it names one.
 */
export function lintEntry(entry: RepoEntry, facts?: SourceFacts, style?: PatchStyle): Finding[] {
  const checked = checkPatchFile(entry, SIZE_LIMITS.patch);
  const findings = checked.problems.map((p) => problemFinding(entry.path, p));
  if (checked.text !== undefined) {
    findings.push(...lintPatch(entry.path, checked.text, facts, checked.files));
    const styled = patchStyleFinding(entry.path, checked.text, checked.files ?? [], style);
    if (styled) findings.push(styled);
  }
  return findings.sort(compareFindings);
}
