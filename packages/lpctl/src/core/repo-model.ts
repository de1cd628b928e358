/**
 * The repository model: kernel targets under `kernels/<id>/` and patches
 * under `patches/<id>/`, checked as a whole so `lpctl validate` reports every
 * problem at once. Pure: it takes a RepoSnapshot and returns values.
 */
import { cveRecordProblems, type CveDeclaration } from "./cve-records.js";
import { idProblem } from "./ids.js";
import type { LivePatch } from "./patch-meta.js";
import { printable } from "./printable.js";
import type { Problem } from "./problem.js";
import type { RepoEntry, RepoSnapshot } from "./repo-snapshot.js";
import { checkPatchDir } from "./repo-patches.js";
import { checkTargetDir } from "./repo-targets.js";
import type { KernelTarget } from "./target.js";

export type { RepoEntry, RepoSnapshot } from "./repo-snapshot.js";

export interface RepositoryCheck {
  /** Valid kernel targets, ordered by id. */
  targets: KernelTarget[];
  /** Valid patches, ordered by id, each with its files ordered by name. */
  patches: LivePatch[];
  /** Every problem found, ordered by file. */
  problems: Problem[];
}

/** One `kernels/<id>/` or `patches/<id>/` directory and the entries inside it. */
export interface ItemDir {
  id: string;
  /** `kernels/<id>` or `patches/<id>`. */
  dir: string;
  /** Entries directly inside, by file name. */
  files: Map<string, RepoEntry>;
}

/** Checks every target and patch in `snapshot`. */
export function checkRepository(snapshot: RepoSnapshot): RepositoryCheck {
  const problems: Problem[] = [];
  const kernels = groupItems("kernels", snapshot, problems);
  const patchDirs = groupItems("patches", snapshot, problems);
  if (snapshot.length === 0) {
    problems.push({
      file: ".",
      path: "",
      code: "REPO_INVALID",
      message: "no kernels/ or patches/ directory: is this a livepatch-gitops repository?",
    });
  }
  const targets: KernelTarget[] = [];
  for (const item of kernels) {
    const target = checkTargetDir(item, problems);
    if (target) targets.push(target);
  }
  // Patches resolve against every well-named target directory, even one whose
  // target.yaml is broken: that problem is reported once, on the target.
  const knownIds = kernels.map((k) => k.id);
  const patches: LivePatch[] = [];
  const decls: CveDeclaration[] = [];
  for (const item of patchDirs) {
    const patch = checkPatchDir(item, knownIds, problems, decls);
    if (patch) patches.push(patch);
  }
  problems.push(...cveRecordProblems(decls));
  const order = (a: Problem, b: Problem) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return { targets, patches, problems: problems.sort(order) };
}

// eslint-disable-next-line no-control-regex -- control characters are what is being found
const CONTROL_RE = /[\x00-\x1f\x7f]/;

/**
 * Groups the entries under `root` into item directories, reporting what
 * cannot be an item: unsafe directory names, symlinks, special files,
 * duplicate entries and files nested deeper than `<root>/<id>/<file>`.
 */
function groupItems(root: string, snapshot: RepoSnapshot, problems: Problem[]): ItemDir[] {
  const items = new Map<string, ItemDir>();
  const badIds = new Set<string>();
  const seen = new Set<string>();
  const nestedReported = new Set<string>();
  for (const entry of snapshot) {
    const parts = entry.path.split("/");
    if (parts[0] !== root) continue;
    const report = (code: Problem["code"], message: string) =>
      problems.push({ file: printable(entry.path), path: "", code, message: printable(message) });
    // A newline in a file name would let a pull request forge lines in CI logs.
    if (CONTROL_RE.test(entry.path)) {
      report("PATH_UNSAFE", "file name contains control characters");
      continue;
    }
    if (seen.has(entry.path)) {
      report("REPO_INVALID", "listed twice in the snapshot");
      continue;
    }
    seen.add(entry.path);
    const kind = entry.kind ?? "file";
    if (kind === "symlink") {
      report("PATH_UNSAFE", "is a symbolic link; kernels/ and patches/ may hold only plain files");
      continue;
    }
    if (kind === "other") {
      report("PATH_UNSAFE", "is not a regular file or directory");
      continue;
    }
    if (parts.length === 1) {
      if (kind !== "dir") report("REPO_INVALID", "must be a directory");
      continue;
    }
    // Files directly in kernels/ or patches/ (a README, .gitkeep) are not items.
    if (parts.length === 2 && kind === "file") continue;
    const id = parts[1];
    const why = idProblem(id);
    if (why !== undefined) {
      if (!badIds.has(id)) report("ID_INVALID", `directory name is not a valid id: ${why}`);
      badIds.add(id);
      continue;
    }
    let item = items.get(id);
    if (!item) {
      item = { id, dir: `${root}/${id}`, files: new Map() };
      items.set(id, item);
    }
    if (parts.length === 3 && kind === "file") item.files.set(parts[2], entry);
    else if (parts.length >= 3) {
      // Report a nested directory once, not every file below it.
      const nested = parts.slice(0, 3).join("/");
      if (!nestedReported.has(nested)) {
        nestedReported.add(nested);
        problems.push({
          file: nested,
          path: "",
          code: "REPO_INVALID",
          message: `unexpected subdirectory: files go directly in ${root}/<id>/`,
        });
      }
    }
  }
  return [...items.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}
