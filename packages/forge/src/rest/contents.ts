/**
 * Repository contents from git: a file (base64, or raw with the raw media
 * type, as Probot's config plugin asks), a directory listing, at `ref` or the
 * default branch. Paths with `.`/`..`/empty segments are refused.
 */
import { Readable } from "node:stream";
import type { ForgeContext } from "../context.js";
import { readBlob, listTree, statPath, type TreeEntry } from "../git/tree.js";
import { ForgeHttpError, notFound } from "../http/errors.js";
import { ok, type ForgeRequest, type Routes } from "../http/types.js";
import { ownerOf } from "../model/db.js";
import type { RepoRow } from "../model/rows.js";

const INLINE_LIMIT = 1024 * 1024;

/** The commit `ref` (or the default branch) names; GitHub's 404 wording otherwise. */
export async function commitForRef(
  ctx: ForgeContext,
  repo: RepoRow,
  ref: string | null,
): Promise<string> {
  const name = ref ?? repo.default_branch;
  const sha = await ctx.git.resolve(repo.id, name);
  if (sha) return sha;
  if ((await ctx.git.refs(repo.id)).size === 0)
    throw new ForgeHttpError(404, "This repository is empty.");
  throw new ForgeHttpError(404, `No commit found for the ref ${name}`);
}

export function safeRepoPath(raw: string): string {
  const path = raw.replace(/^\/+|\/+$/g, "");
  if (path === "") return "";
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === ".." || s.includes("\0")))
    throw notFound();
  return path;
}

function wantsRaw(req: ForgeRequest): boolean {
  return /application\/vnd\.github(\.v3)?\.raw/.test(String(req.headers.accept ?? ""));
}

export function registerContents(routes: Routes, ctx: ForgeContext): void {
  const entryJson = (
    repo: RepoRow,
    ref: string,
    e: TreeEntry,
    content?: Buffer,
  ): Record<string, unknown> => {
    const full = `${ownerOf(ctx.db, repo).login}/${repo.name}`;
    const api = `${ctx.urls.api}/repos/${full}`;
    const enc = e.path.split("/").map(encodeURIComponent).join("/");
    const type =
      e.type === "tree"
        ? "dir"
        : e.type === "commit"
          ? "submodule"
          : e.mode === "120000"
            ? "symlink"
            : "file";
    const self = `${api}/contents/${enc}?ref=${encodeURIComponent(ref)}`;
    const gitUrl = `${api}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`;
    const html = `${ctx.urls.web}/${full}/${e.type === "tree" ? "tree" : "blob"}/${ref}/${enc}`;
    return {
      type,
      ...(content ? { encoding: content.length > INLINE_LIMIT ? "none" : "base64" } : {}),
      size: e.size,
      name: e.path.split("/").pop() ?? e.path,
      path: e.path,
      ...(content
        ? { content: content.length > INLINE_LIMIT ? "" : content.toString("base64") }
        : {}),
      sha: e.sha,
      url: self,
      git_url: gitUrl,
      html_url: html,
      download_url: type === "file" ? `${ctx.urls.web}/${full}/raw/${ref}/${enc}` : null,
      _links: { self, git: gitUrl, html },
    };
  };

  const handler = async (req: ForgeRequest) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const path = safeRepoPath(req.params.path ?? "");
    const ref = req.query.get("ref");
    const commit = await commitForRef(ctx, repo, ref);
    const refName = ref ?? repo.default_branch;
    const entry = await statPath(ctx.git, repo.id, commit, path);
    if (!entry) throw notFound();
    if (entry.type === "tree") {
      const entries = await listTree(ctx.git, repo.id, commit, path);
      return ok(entries.map((e) => entryJson(repo, refName, e)));
    }
    const bytes =
      entry.type === "blob" ? await readBlob(ctx.git, repo.id, entry.sha) : Buffer.alloc(0);
    if (wantsRaw(req)) {
      return {
        status: 200,
        stream: Readable.from([bytes]),
        headers: {
          "Content-Type": "text/plain; charset=utf-8",
          "Content-Length": String(bytes.length),
        },
      };
    }
    return ok(entryJson(repo, refName, entry, bytes));
  };

  routes.api("GET", "/repos/{owner}/{repo}/contents/{path*}", handler);
  // `contents/` with an empty path (the root) arrives without the trailing slash.
  routes.api(
    "GET",
    "/repos/{owner}/{repo}/contents",
    handler,
    "/repos/{owner}/{repo}/contents/{path}",
  );

  routes.api("GET", "/repos/{owner}/{repo}/readme", async (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const ref = req.query.get("ref");
    const commit = await commitForRef(ctx, repo, ref);
    const entries = await listTree(ctx.git, repo.id, commit, "");
    const readme = entries.find((e) => e.type === "blob" && /^readme(\.|$)/i.test(e.path));
    if (!readme) throw notFound();
    return ok(
      entryJson(
        repo,
        ref ?? repo.default_branch,
        readme,
        await readBlob(ctx.git, repo.id, readme.sha),
      ),
    );
  });
}
