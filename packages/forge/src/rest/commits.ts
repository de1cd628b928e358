/** Commits (list, get with files) and compare `base...head`, read from git. */
import type { ForgeContext } from "../context.js";
import { logCommits, readCommit } from "../git/commit-log.js";
import { diffEntryJson, diffFiles } from "../git/diff.js";
import { ForgeHttpError, notFound } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { ok, type Routes } from "../http/types.js";
import { commitJson } from "../model/commit-json.js";
import { ownerOf } from "../model/db.js";
import type { RepoRow } from "../model/rows.js";
import { commitForRef, safeRepoPath } from "./contents.js";

export function registerCommits(routes: Routes, ctx: ForgeContext): void {
  const names = (repo: RepoRow) => {
    const full = `${ownerOf(ctx.db, repo).login}/${repo.name}`;
    return { full, api: `${ctx.urls.api}/repos/${full}`, html: `${ctx.urls.web}/${full}` };
  };
  const resolveOr404 = async (repo: RepoRow, ref: string): Promise<string> => {
    const sha = await ctx.git.resolve(repo.id, ref);
    if (!sha) throw new ForgeHttpError(404, `No commit found for SHA: ${ref}`);
    return sha;
  };

  routes.api("GET", "/repos/{owner}/{repo}/commits", async (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const head = await commitForRef(ctx, repo, req.query.get("sha"));
    const path = req.query.get("path");
    const paths = path ? [safeRepoPath(path)] : [];
    const commits = await logCommits(ctx.git, repo.id, [head], 10_000, paths);
    const page = paginate(commits, req.url);
    const { full } = names(repo);
    return ok(
      page.items.map((c) => commitJson(ctx.urls, ctx.db, full, c)),
      page.link ? { Link: page.link } : undefined,
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/commits/{ref}", async (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const sha = await resolveOr404(repo, req.params.ref ?? "");
    const c = await readCommit(ctx.git, repo.id, sha);
    if (!c) throw notFound();
    const { full, api, html } = names(repo);
    const base =
      c.parents[0] ??
      (await ctx.git.run(repo.id, ["hash-object", "-t", "tree", "/dev/null"])).stdout.trim();
    const files = await diffFiles(ctx.git, repo.id, base, sha);
    const additions = files.reduce((n, f) => n + f.additions, 0);
    const deletions = files.reduce((n, f) => n + f.deletions, 0);
    return ok(
      commitJson(ctx.urls, ctx.db, full, c, {
        stats: { additions, deletions, total: additions + deletions },
        files: files.map((f) => diffEntryJson(api, html, sha, f)),
      }),
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/compare/{basehead}", async (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const m = /^(.+?)\.\.\.(.+)$/.exec(req.params.basehead ?? "");
    if (!m) throw notFound();
    const base = await resolveOr404(repo, m[1] ?? "");
    const head = await resolveOr404(repo, m[2] ?? "");
    const mb = await ctx.git.run(repo.id, ["merge-base", base, head], { allowFail: true });
    const mergeBase = mb.stdout.trim();
    if (mb.exitCode !== 0 || !mergeBase) throw notFound();
    const ahead = (await logCommits(ctx.git, repo.id, [`${mergeBase}..${head}`], 10_000)).reverse();
    const behind = await logCommits(ctx.git, repo.id, [`${mergeBase}..${base}`], 10_000);
    const { full, api, html } = names(repo);
    const [baseCommit, mbCommit] = await Promise.all([
      readCommit(ctx.git, repo.id, base),
      readCommit(ctx.git, repo.id, mergeBase),
    ]);
    if (!baseCommit || !mbCommit) throw notFound();
    const files = await diffFiles(ctx.git, repo.id, mergeBase, head);
    const status =
      ahead.length === 0 && behind.length === 0
        ? "identical"
        : behind.length === 0
          ? "ahead"
          : ahead.length === 0
            ? "behind"
            : "diverged";
    const spec = req.params.basehead ?? "";
    return ok({
      url: `${api}/compare/${spec}`,
      html_url: `${html}/compare/${spec}`,
      permalink_url: `${html}/compare/${base}...${head}`,
      diff_url: `${html}/compare/${spec}.diff`,
      patch_url: `${html}/compare/${spec}.patch`,
      base_commit: commitJson(ctx.urls, ctx.db, full, baseCommit),
      merge_base_commit: commitJson(ctx.urls, ctx.db, full, mbCommit),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: ahead.map((c) => commitJson(ctx.urls, ctx.db, full, c)),
      files: files.map((f) => diffEntryJson(api, html, head, f)),
    });
  });
}
