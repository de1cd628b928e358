/** Reads commits from a bare repository: metadata and the files each one touched. */
import type { GitRepos } from "./repos.js";

export interface GitPerson {
  name: string;
  email: string;
  date: string;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  message: string;
}

const FORMAT = "%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x1e";

/** `git log` for a rev range (argument array, e.g. [`a..b`] or [sha, `--not`, …]), newest first. */
export async function logCommits(
  git: GitRepos,
  repoId: number,
  revs: readonly string[],
  max = 250,
  paths: readonly string[] = [],
): Promise<CommitInfo[]> {
  const out = await git.run(repoId, [
    "log",
    `--max-count=${max}`,
    `--format=${FORMAT}`,
    ...revs,
    "--",
    ...paths,
  ]);
  return out.stdout
    .split("\x1e")
    .map((r) => r.replace(/^\n/, ""))
    .filter((r) => r.length > 0)
    .map((record) => {
      const [
        sha = "",
        tree = "",
        parents = "",
        an = "",
        ae = "",
        ad = "",
        cn = "",
        ce = "",
        cd = "",
        ...msg
      ] = record.split("\x00");
      return {
        sha,
        tree,
        parents: parents.split(" ").filter(Boolean),
        author: { name: an, email: ae, date: ad },
        committer: { name: cn, email: ce, date: cd },
        message: msg.join("\x00").replace(/\n+$/, ""),
      };
    });
}

export async function readCommit(
  git: GitRepos,
  repoId: number,
  sha: string,
): Promise<CommitInfo | undefined> {
  // GitRepos.run keeps the answer when `sha` is a full one (a commit never changes).
  return (await logCommits(git, repoId, ["-1", sha], 1))[0];
}

export interface FileChange {
  status: "A" | "M" | "D" | "R" | "C" | "T";
  path: string;
  previousPath?: string;
}

/** Files changed between two commits (or by a root commit when `from` is undefined). */
export async function changedFiles(
  git: GitRepos,
  repoId: number,
  from: string | undefined,
  to: string,
): Promise<FileChange[]> {
  const args = from
    ? ["diff", "--name-status", "-M", "-z", from, to, "--"]
    : ["diff-tree", "--root", "--no-commit-id", "-r", "--name-status", "-M", "-z", to, "--"];
  const parts = (await git.run(repoId, args)).stdout.split("\x00").filter((p) => p.length > 0);
  const changes: FileChange[] = [];
  for (let i = 0; i < parts.length;) {
    const status = (parts[i] ?? "M").charAt(0) as FileChange["status"];
    if (status === "R" || status === "C") {
      changes.push({ status, previousPath: parts[i + 1] ?? "", path: parts[i + 2] ?? "" });
      i += 3;
    } else {
      changes.push({ status, path: parts[i + 1] ?? "" });
      i += 2;
    }
  }
  return changes;
}
