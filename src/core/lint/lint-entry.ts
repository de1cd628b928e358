/**
 * One verdict for validate and lint: a patch file first goes through the same
 * checks `validate` runs (size, binary, encoding, CRLF, unsafe or unprefixed
 * paths), each reported as a `patch-file` finding; only a usable diff is then
 * linted.
 */
import { checkPatchFile } from "../patch-file-check.js";
import { SIZE_LIMITS, type RepoEntry } from "../repo-snapshot.js";
import { compareFindings, type Finding } from "./finding.js";
import { lintPatch } from "./lint.js";
import { problemFinding } from "./problem-finding.js";
import type { SourceFacts } from "./source-facts.js";

/** Lints a patch file read as a repository entry; never throws for bad content. */
export function lintEntry(entry: RepoEntry, facts?: SourceFacts): Finding[] {
  const checked = checkPatchFile(entry, SIZE_LIMITS.patch);
  const findings = checked.problems.map((p) => problemFinding(entry.path, p));
  if (checked.text !== undefined) {
    findings.push(...lintPatch(entry.path, checked.text, facts, checked.files));
  }
  return findings.sort(compareFindings);
}
