/**
 * The build's output directory: created, cleared of a previous run's module
 * and report (a stale one must not pass for this build's), and the patches
 * staged in a temp directory inside it, numbered so kpatch-build applies
 * them in order and named so its messages name the patch. File-system
 * errors become coded errors naming the directory (--out is user input).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { LivePatch } from "../../core/patch-meta.js";
import { fsStep } from "../../io/fs-errors.js";

export interface StagedBuild {
  modulePath: string;
  reportPath: string;
  /** Temp directory of the staged patches; the caller removes it. */
  staging: string;
  patchFiles: string[];
  /** Staged path and base name → patch id, to name the patch in failures. */
  fileMap: Map<string, string>;
}

/** Prepares `outDir` for the module `name` and stages `patches` in it. */
export async function stagePatches(
  outDir: string,
  name: string,
  patches: readonly LivePatch[],
): Promise<StagedBuild> {
  const modulePath = join(outDir, `${name}.ko`);
  const reportPath = join(outDir, "build-report.json");
  const staging = await fsStep(`prepare the output directory ${outDir}`, async () => {
    await mkdir(outDir, { recursive: true });
    await rm(modulePath, { force: true });
    await rm(reportPath, { force: true });
    return mkdtemp(join(outDir, ".patches-"));
  });
  const fileMap = new Map<string, string>();
  const patchFiles: string[] = [];
  let n = 0;
  for (const p of patches) {
    for (const f of p.files) {
      const staged = join(staging, `${String(++n).padStart(3, "0")}-${p.id}-${basename(f.path)}`);
      await fsStep(`stage ${f.path} in ${staging}`, () => writeFile(staged, f.text));
      fileMap.set(staged, p.id).set(basename(staged), p.id);
      patchFiles.push(staged);
    }
  }
  return { modulePath, reportPath, staging, patchFiles, fileMap };
}
