/**
 * Workflow files of a commit, read from the bare repository with git:
 * `.github/workflows/*.yml|yaml` (top level only, as GitHub reads them) and
 * the display name each declares (`name:`, else its path).
 */
import { parse } from "yaml";
import type { GitRepos } from "../git/repos.js";

const DIR = ".github/workflows/";

export interface WorkflowFile {
  path: string;
  text: string;
}

export async function workflowFilesAt(
  git: GitRepos,
  repoId: number,
  sha: string,
): Promise<WorkflowFile[]> {
  const listed = await git.run(repoId, ["ls-tree", "-z", "--name-only", sha, DIR], {
    allowFail: true,
  });
  if (listed.exitCode !== 0) return [];
  const paths = listed.stdout
    .split("\0")
    .filter((p) => p.startsWith(DIR) && /^[^/]+\.ya?ml$/.test(p.slice(DIR.length)))
    .sort();
  const files: WorkflowFile[] = [];
  for (const path of paths) {
    const blob = await git.run(repoId, ["cat-file", "blob", `${sha}:${path}`], { allowFail: true });
    if (blob.exitCode === 0) files.push({ path, text: blob.stdout });
  }
  return files;
}

/** The workflow's `name:`, or its path when it has none or does not parse. */
export function workflowName(file: WorkflowFile): string {
  try {
    const doc = parse(file.text) as unknown;
    if (doc !== null && typeof doc === "object" && "name" in doc) {
      const name = doc.name;
      if (typeof name === "string" && name.trim() !== "") return name;
    }
  } catch {
    // A broken workflow still gets a record, named by its path, as on GitHub.
  }
  return file.path;
}
