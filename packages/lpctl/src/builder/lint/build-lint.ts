/**
 * The source-aware lint of a build: the patches judged on the prepared tree
 * (whole functions, real definitions, the target's .config and System.map),
 * recorded in build-report.json so the build check run can annotate them.
 */
import { join } from "node:path";
import type { BuildLint } from "../../core/build-report.js";
import { lintPatch } from "../../core/lint/lint.js";
import type { KpatchTraits } from "../../core/lint/source-facts.js";
import { readKpatchTraits } from "../kpatch/kpatch-traits.js";
import { gatherSourceFacts } from "./lint-source.js";
import type { Runner } from "../runtime/runner.js";
import { dirSourceTree, type SourceTree } from "./source-tree.js";

/** Files kpatch-build overwrites in the tree are read from the pristine copies. */
const FROM_PRISTINE = new Set(["System.map", ".config"]);

/** The prepared tree, with System.map and .config taken from `pristine`. */
export function preparedSourceTree(tree: string, pristine: string, runner: Runner): SourceTree {
  const src = dirSourceTree(tree, runner);
  const saved = dirSourceTree(pristine, runner);
  return {
    read: (path) => (FROM_PRISTINE.has(path) ? saved.read(path) : src.read(path)),
    grep: (pattern, dir) => src.grep(pattern, dir),
    filesMatching: (pattern, dir) => src.filesMatching(pattern, dir),
  };
}

/** Lints every patch file of the build, in order, against `tree`. */
export async function lintForBuild(
  tree: SourceTree,
  files: readonly { path: string; text: string }[],
  kpatch?: KpatchTraits,
): Promise<BuildLint> {
  const facts = await gatherSourceFacts(
    tree,
    files.map((f) => f.text),
    kpatch,
  );
  const findings = files.flatMap((f, i) => lintPatch(f.path, f.text, facts[i]));
  const errors = findings.filter((f) => f.severity === "error").length;
  return { sourceAware: true, findings, errors, warnings: findings.length - errors };
}

/** Default wiring for buildModule: the prepared kernel's tree and pristine files. */
export async function lintPrepared(
  prepared: { tree: string; pristine: string },
  files: readonly { path: string; text: string }[],
  runner: Runner,
  kpatchBuild?: string | KpatchTraits,
): Promise<BuildLint> {
  const kpatch =
    typeof kpatchBuild === "string" ? await readKpatchTraits(kpatchBuild) : kpatchBuild;
  return lintForBuild(
    preparedSourceTree(prepared.tree, join(prepared.pristine), runner),
    files,
    kpatch,
  );
}
