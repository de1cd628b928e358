/**
 * Git trees and the pull requests a commit belongs to: what an app reads to
 * walk a commit's files (git/get-tree, `recursive`) and to find the pull
 * requests behind a merge (repos/list-pull-requests-associated-with-commit).
 */
import type { ForgeContext } from "../context.js";
import { notFound } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { ok, type Routes } from "../http/types.js";
import { parseLsTree } from "../git/tree.js";
import { ownerOf } from "../model/db.js";
import { pullJson } from "../pulls/pull-json.js";
import { PULLS, type PullRow } from "../pulls/rows.js";

export function registerGitTrees(routes: Routes, ctx: ForgeContext): void {
  routes.api("GET", "/repos/{owner}/{repo}/git/trees/{tree_sha}", async (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const ish = req.params.tree_sha ?? "";
    // A tree, or anything that peels to one (a commit sha, a branch), as GitHub accepts.
    if (ish.startsWith("-") || ish.includes("..")) throw notFound();
    const tree = await ctx.git.run(repo.id, ["rev-parse", "--verify", "--quiet", `${ish}^{tree}`], {
      allowFail: true,
    });
    const sha = tree.stdout.trim();
    if (tree.exitCode !== 0 || !/^[0-9a-f]{40}$/.test(sha)) throw notFound();
    const recursive = req.query.get("recursive") !== null;
    const out = await ctx.git.run(repo.id, [
      "ls-tree",
      "-z",
      "--long",
      ...(recursive ? ["-r", "-t"] : []),
      sha,
    ]);
    const base = `${ctx.urls.api}/repos/${ownerOf(ctx.db, repo).login}/${repo.name}/git`;
    return ok({
      sha,
      url: `${base}/trees/${sha}`,
      tree: parseLsTree(out.stdout).map(({ size, ...e }) => ({
        ...e,
        // GitHub gives a size for blobs only.
        ...(e.type === "blob" ? { size } : {}),
        url: `${base}/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
      })),
      truncated: false,
    });
  });

  routes.api("GET", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls", async (req) => {
    const repo = ctx.repoFor(req, "pull_requests", "read");
    const sha = await ctx.git.resolve(repo.id, req.params.commit_sha ?? "");
    if (sha === undefined) throw notFound();
    // A pull request is associated with its head commit and, once merged, with its merge commit.
    const pulls = ctx.store
      .table<PullRow>(PULLS)
      .filter((p) => p.repoId === repo.id && (p.headSha === sha || p.merge_commit_sha === sha))
      .sort((a, b) => b.number - a.number);
    const page = paginate(pulls, req.url);
    const items = await Promise.all(page.items.map((p) => pullJson(ctx, repo, p)));
    return ok(items, page.link ? { Link: page.link } : undefined);
  });
}
