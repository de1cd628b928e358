/**
 * Would a patch still apply? `patch -N -p1 --dry-run` of each of its files
 * against a source tree, with kpatch-build's flags (default fuzz), changing
 * nothing.
 */
import { join } from "node:path";
import type { LivePatch } from "../../core/patch-meta.js";
import type { Runner } from "../runtime/runner.js";

export interface DryRunResult {
  patch: string;
  applies: boolean;
  /** Applies, but only with an offset or fuzz: worth a reviewer's look. */
  shifted: boolean;
  /** patch's output for files that did not apply cleanly (failed hunks, fuzz, offsets). */
  detail: string[];
}

export async function dryRunPatch(
  runner: Runner,
  tree: string,
  patch: LivePatch,
): Promise<DryRunResult> {
  const detail: string[] = [];
  let applies = true;
  let shifted = false;
  for (const f of patch.files) {
    const r = await runner.run("patch", ["-N", "-p1", "--dry-run", "--batch", "-d", tree], {
      input: f.text,
    });
    const out = (r.stdout + r.stderr).trim().split("\n");
    const fuzzy = out.some((l) => /with fuzz|offset -?\d+ lines?/.test(l));
    if (r.exitCode !== 0 || fuzzy) {
      applies &&= r.exitCode === 0;
      shifted ||= fuzzy;
      detail.push(`${join("patches", patch.id, f.path.split("/").pop() ?? f.path)}:`, ...out);
    }
  }
  return { patch: patch.id, applies, shifted: shifted && applies, detail };
}
