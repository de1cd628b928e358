/** Turns a patch-file problem (what validate reports) into a `patch-file` lint finding. */
import type { Problem } from "../problem.js";
import type { Finding, RuleId } from "./finding.js";

/** A validate problem as a lint finding on the patch file itself. */
export function problemFinding(patch: string, p: Pick<Problem, "path" | "message">): Finding {
  const line = /^line (\d+)$/.exec(p.path);
  const at = line ? Number(line[1]) : 1;
  return {
    patch,
    file: patch,
    startLine: at,
    endLine: at,
    severity: "error",
    rule: "patch-file",
    message: withDocLink(p.message, "patch-file"),
  };
}

/** Every message ends by pointing at the rule's row in the rules document. */
export function withDocLink(message: string, rule: RuleId): string {
  return `${message} (rule ${rule}: docs/lint-rules.md)`;
}
