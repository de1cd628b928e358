/**
 * Reads what kpatch-build printed. Pure: lines in, facts out. Success is
 * never decided here (some `ERROR:` lines are warnings); the exit code does.
 */
import type { BuildChange } from "../../core/build-report.js";

export interface KpatchOutput {
  changes: BuildChange[];
  patchedObjects: string[];
  /** File name from `Building patch module: X.ko`. */
  moduleFile?: string;
  /** `ERROR:` lines and create-diff-object diagnostics, in order. */
  errors: string[];
  /** Non-fatal notes kpatch-build prints (`Version disagreement`, WARNING lines). */
  warnings: string[];
  success: boolean;
}

// 0.9.10 prints the object's base name, 0.9.11 its path in the tree.
const CHANGE = /^(\S+\.o): (new|changed) function: (\S+)$/;
const PATCHED = /^Patched objects: (.*)$/;
const MODULE = /^Building patch module: (\S+\.ko)$/;
// create-diff-object diagnostics that explain a refusal but carry no ERROR: prefix.
const DIFF_DIAG =
  /(create-diff-object: |not selected for inclusion|selected for inclusion|reference to static local variable|Found a jump label|static call|patchable function entry|unsupported section change|unreconcilable difference)/;

/** True for lines kpatch-build prints with ERROR: that do not fail the build. */
export function isWarningLine(line: string): boolean {
  return /Version disagreement/.test(line) || /^WARNING:/.test(line);
}

export function parseKpatchOutput(text: string): KpatchOutput {
  const out: KpatchOutput = {
    changes: [],
    patchedObjects: [],
    errors: [],
    warnings: [],
    success: false,
  };
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    const change = CHANGE.exec(line);
    if (change) {
      out.changes.push({
        object: change[1] ?? "",
        kind: change[2] === "new" ? "new" : "changed",
        function: change[3] ?? "",
      });
      continue;
    }
    const patched = PATCHED.exec(line);
    if (patched) {
      out.patchedObjects.push(...(patched[1] ?? "").split(/\s+/).filter(Boolean));
      continue;
    }
    const mod = MODULE.exec(line);
    if (mod) {
      out.moduleFile = mod[1];
      continue;
    }
    if (line === "SUCCESS") out.success = true;
    else if (isWarningLine(line)) out.warnings.push(line);
    else if (line.startsWith("ERROR:") || DIFF_DIAG.test(line)) out.errors.push(line);
  }
  return out;
}
