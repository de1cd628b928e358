/** Reads trees and blobs at a commit (contents API) without a work tree. */
import { execa } from "execa";
import type { GitRepos } from "./repos.js";
import { GIT_ENV } from "./run-git.js";

export interface TreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size: number;
  path: string;
}

/** Entries of the tree at `commit:path` (root when path is ""). */
export async function listTree(
  git: GitRepos,
  repoId: number,
  commit: string,
  path: string,
): Promise<TreeEntry[]> {
  const spec = path === "" ? commit : `${commit}:${path}`;
  const out = await git.run(repoId, ["ls-tree", "-z", "--long", spec]);
  return parseLsTree(out.stdout, (name) => (path === "" ? name : `${path}/${name}`));
}

/** `git ls-tree -z --long` output as entries (size 0 where git prints "-": trees, submodules). */
export function parseLsTree(
  stdout: string,
  pathOf: (name: string) => string = (name) => name,
): TreeEntry[] {
  return stdout
    .split("\x00")
    .filter((l) => l.length > 0)
    .map((line) => {
      const tab = line.indexOf("\t");
      const [mode = "", type = "blob", sha = "", size = "0"] = line.slice(0, tab).split(/\s+/);
      return {
        mode,
        type: type as TreeEntry["type"],
        sha,
        size: size === "-" ? 0 : Number(size),
        path: pathOf(line.slice(tab + 1)),
      };
    });
}

/** What `path` is at `commit`: a blob or tree entry, or undefined when missing. */
export async function statPath(
  git: GitRepos,
  repoId: number,
  commit: string,
  path: string,
): Promise<TreeEntry | undefined> {
  if (path === "") {
    const sha = (await git.run(repoId, ["rev-parse", `${commit}^{tree}`])).stdout.trim();
    return { mode: "040000", type: "tree", sha, size: 0, path: "" };
  }
  const slash = path.lastIndexOf("/");
  const parent = slash < 0 ? "" : path.slice(0, slash);
  const r = await git.run(
    repoId,
    [
      "ls-tree",
      "-z",
      "--long",
      parent === "" ? commit : `${commit}:${parent}`,
      "--",
      path.slice(slash + 1),
    ],
    {
      allowFail: true,
    },
  );
  if (r.exitCode !== 0) return undefined;
  return parseLsTree(r.stdout, () => path)[0];
}

export async function readBlob(git: GitRepos, repoId: number, sha: string): Promise<Buffer> {
  const args = ["cat-file", "blob", sha];
  return git.read(
    repoId,
    args,
    "buffer",
    async () => {
      const r = await execa("git", [`--git-dir=${git.dir(repoId)}`, ...args], {
        encoding: "buffer",
        stripFinalNewline: false,
        env: GIT_ENV,
      });
      return Buffer.from(r.stdout);
    },
    (b) => b.length,
  );
}
