/**
 * Server-side merges without a work tree: `git merge-tree --write-tree`
 * computes the merged tree (or reports a conflict), `git commit-tree`
 * makes the commit, `update-ref` moves the branch only if it has not moved.
 */
import type { GitRepos } from "./repos.js";

export interface Signature {
  name: string;
  email: string;
}

export type MergeOutcome = { sha: string } | { conflict: true };

export async function mergeCommits(
  git: GitRepos,
  repoId: number,
  branchRef: string,
  baseSha: string,
  headSha: string,
  message: string,
  who: Signature,
  squash: boolean,
): Promise<MergeOutcome> {
  const tree = await git.run(repoId, ["merge-tree", "--write-tree", baseSha, headSha], {
    allowFail: true,
  });
  if (tree.exitCode !== 0) return { conflict: true };
  const treeSha = tree.stdout.split("\n")[0]?.trim() ?? "";
  const parents = squash ? ["-p", baseSha] : ["-p", baseSha, "-p", headSha];
  const commit = await git.run(repoId, ["commit-tree", treeSha, ...parents, "-F", "-"], {
    input: message + "\n",
    env: {
      GIT_AUTHOR_NAME: who.name,
      GIT_AUTHOR_EMAIL: who.email,
      GIT_COMMITTER_NAME: "GitHub",
      GIT_COMMITTER_EMAIL: "noreply@github.com",
    },
  });
  const sha = commit.stdout.trim();
  await git.run(repoId, ["update-ref", branchRef, sha, baseSha]);
  return { sha };
}
