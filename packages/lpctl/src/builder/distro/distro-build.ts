/**
 * `lpctl build`'s per-object engine step (a distribution kernel's engine,
 * and on the lab target the one compared with kpatch-build): the objects
 * the patches change (from kbuild), then the engine, with its output in
 * OUT/build.log like kpatch-build's.
 */
import { writeFile } from "node:fs/promises";
import type { KpatchTraits } from "../../core/lint/source-facts.js";
import type { LivePatch } from "../../core/patch-meta.js";
import { preparedSourceTree } from "../lint/build-lint.js";
import { kpatchDirs } from "../kpatch/kpatch-make.js";
import type { KpatchRunResult } from "../kpatch/kpatch-run.js";
import type { PreparedKernel } from "../kernel/prepare.js";
import type { Runner } from "../runtime/runner.js";
import { dirSourceTree } from "../lint/source-tree.js";
import { objectEngineFacts } from "./engine-facts.js";
import { runObjectBuild } from "./object-build.js";
import { changedObjects, type PatchFile } from "./object-map.js";

/** What the lint must assume of this engine: create-diff-object runs without --klp-arch. */
export const OBJECT_ENGINE_TRAITS: KpatchTraits = {
  path: "per-object engine (create-diff-object without --klp-arch)",
  forcesKlpArch: false,
};

const patchFiles = (patches: readonly LivePatch[]): PatchFile[] =>
  patches.flatMap((p) => p.files.map((f) => ({ patch: p.id, text: f.text })));

/** Prepare's precheck: refuses unsupported changes right after the source is unpacked. */
export function objectPrecheck(
  runner: Runner,
  patches: readonly LivePatch[],
  targetId: string,
): (tree: string) => Promise<void> {
  return async (tree) => {
    await changedObjects(dirSourceTree(tree, runner), patchFiles(patches), targetId);
  };
}

export interface DistroBuildOptions {
  prepared: PreparedKernel;
  /** A kernel this project compiled (the lab target), not a distribution's binary kernel. */
  builtHere: boolean;
  patches: readonly LivePatch[];
  targetId: string;
  kpatchBuild: string;
  patchFiles: readonly string[];
  name: string;
  outDir: string;
  jobs: number;
  logFile: string;
  onLine?: (line: string) => void;
  onSpawn?: (pid: number) => void;
}

export async function runDistroBuild(
  runner: Runner,
  o: DistroBuildOptions,
): Promise<KpatchRunResult> {
  const facts = await objectEngineFacts(runner, o.prepared, o.builtHere);
  const tree = preparedSourceTree(o.prepared.tree, o.prepared.pristine, runner);
  const objects = await changedObjects(tree, patchFiles(o.patches), o.targetId, (l) =>
    o.onLine?.(l),
  );
  const result = await runObjectBuild(runner, {
    prepared: o.prepared,
    facts,
    tools: await kpatchDirs(o.kpatchBuild),
    objects,
    patchFiles: o.patchFiles,
    name: o.name,
    outDir: o.outDir,
    jobs: o.jobs,
    ...(o.onLine ? { onLine: o.onLine } : {}),
    ...(o.onSpawn ? { onSpawn: o.onSpawn } : {}),
  });
  await writeFile(o.logFile, result.lines.join("\n") + "\n");
  return result;
}
