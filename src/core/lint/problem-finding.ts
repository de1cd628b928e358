/** Turns a patch-file problem (what validate reports) into a `patch-file` lint finding. */
import type { Problem } from "../problem.js";
import type { Finding } from "./finding.js";

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
    message: `${p.message} (see docs/lint-rules.md#patch-file)`,
  };
}
