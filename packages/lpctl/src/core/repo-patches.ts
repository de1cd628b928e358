/** Checks one `patches/<id>/` directory: patch.yaml, its kernels, its *.patch files. */
import { cveDeclaration, type CveDeclaration } from "./cve-records.js";
import { patchTargets } from "./kernel-refs.js";
import { checkPatchFile } from "./patch-file-check.js";
import { PatchMetaSchema, type LivePatch, type PatchFile } from "./patch-meta.js";
import type { Problem } from "./problem.js";
import type { ItemDir } from "./repo-model.js";
import { readYamlEntry } from "./repo-yaml.js";
import { zodProblems } from "./schema-issues.js";

/** Patch file names: plain, so they are safe on a command line and in a module build. */
const PATCH_FILE_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]*\.patch$/;

/**
 * The patch in `item`, or undefined after pushing its problems. What its
 * patch.yaml declares about CVEs goes to `decls` whenever it parses, even
 * with other problems: a conflict with another patch is reported either way.
 */
export function checkPatchDir(
  item: ItemDir,
  knownTargets: readonly string[],
  problems: Problem[],
  decls: CveDeclaration[] = [],
): LivePatch | undefined {
  const before = problems.length;
  const file = `${item.dir}/patch.yaml`;
  const value = readYamlEntry(file, item.files.get("patch.yaml"), problems);
  let meta;
  let targets: string[] = [];
  if (value !== undefined) {
    const parsed = PatchMetaSchema.safeParse(value);
    if (parsed.success) {
      meta = parsed.data;
      const resolved = patchTargets(file, meta, knownTargets);
      problems.push(...resolved.problems);
      targets = resolved.targets;
      decls.push(cveDeclaration(item.id, meta, targets));
    } else problems.push(...zodProblems(file, parsed.error));
  }
  const recordsOnly = meta !== undefined && meta.notLivePatchable.length > 0;
  const files = checkPatchFiles(item, problems, recordsOnly);
  // Nothing is built without a diff, so nothing in it can be live patched.
  if (files.length === 0 && meta !== undefined && meta.cves.length > 0 && recordsOnly)
    problems.push({
      file,
      path: "cves",
      code: "PATCH_INVALID",
      message:
        "lists live-patched CVEs but the directory has no *.patch file: add the patch, or move each CVE to notLivePatchable",
    });
  if (meta === undefined || problems.length > before) return undefined;
  return { id: item.id, ...meta, files, targets };
}

/** `recordsOnly`: patch.yaml declares not-live-patchable records, so no *.patch file is needed. */
function checkPatchFiles(item: ItemDir, problems: Problem[], recordsOnly: boolean): PatchFile[] {
  const names = [...item.files.keys()].filter((n) => n.endsWith(".patch")).sort();
  // A *.diff, *.PATCH or *.patch.orig would be silently left out of the build.
  for (const [name, entry] of item.files) {
    if (name === "patch.yaml" || name.endsWith(".patch")) continue;
    problems.push({
      file: entry.path,
      path: "",
      code: "PATH_UNSAFE",
      message:
        "is not read: a patch directory holds only patch.yaml and *.patch files; rename it to .patch or remove it",
    });
  }
  if (names.length === 0 && !recordsOnly) {
    problems.push({
      file: item.dir,
      path: "",
      code: "FILE_MISSING",
      message:
        "has no *.patch file (a directory without one may only declare notLivePatchable records)",
    });
  }
  const files: PatchFile[] = [];
  for (const name of names) {
    const entry = item.files.get(name)!;
    if (!PATCH_FILE_RE.test(name)) {
      problems.push({
        file: entry.path,
        path: "",
        code: "PATH_UNSAFE",
        message: "patch file names must match [A-Za-z0-9][A-Za-z0-9._+-]*.patch",
      });
      continue;
    }
    const checked = checkPatchFile(entry);
    problems.push(...checked.problems);
    if (checked.text !== undefined) files.push({ path: entry.path, text: checked.text });
  }
  return files;
}
