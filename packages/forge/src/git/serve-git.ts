/**
 * Smart HTTP git at `/<owner>/<repo>.git/…`: HTTP Basic with a token as the
 * password (`x-access-token:<token>`), anonymous clones of public
 * repositories, pushes for callers with write access. Refs are compared
 * before and after a push so the forge can raise `push` and PR events.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkRepoAccess, userRole } from "../auth/access.js";
import { resolvePrincipal, type Principal } from "../auth/principal.js";
import type { ForgeContext } from "../context.js";
import { ForgeHttpError } from "../http/errors.js";
import { findRepo } from "../model/db.js";
import type { RepoRow } from "../model/rows.js";
import { afterPush, refUpdates } from "./after-push.js";
import { runCgi } from "./cgi.js";

export const GIT_PATH = /^\/([^/]+)\/([^/]+?)\.git(\/.*)$/;

function plain(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "Content-Type": "text/plain", ...headers });
  res.end(text + "\n");
}

/** Refs this pusher may not update (protected branches, admins excepted unless enforced). */
export function protectedRefs(ctx: ForgeContext, repo: RepoRow, p: Principal): string[] {
  const isAdmin = p.kind === "user" && userRole(ctx.db, p.user, repo) === "admin";
  return ctx.db.protections
    .filter((b) => b.repoId === repo.id && (b.enforce_admins || !isAdmin))
    .map((b) => `refs/heads/${b.branch}`);
}

export async function serveGit(
  ctx: ForgeContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  match: RegExpExecArray,
): Promise<void> {
  const [, owner = "", name = "", rest = ""] = match;
  const repo = findRepo(ctx.db, owner, name);
  if (!repo) return plain(res, 404, "Repository not found.");
  // git http-backend acts on the last `service=` and the access check must see
  // the same one: a repeated parameter is refused rather than guessed.
  const services = url.searchParams.getAll("service");
  if (services.length > 1) return plain(res, 400, "Exactly one service parameter is allowed.");
  const write = rest === "/git-receive-pack" || services[0] === "git-receive-pack";
  let principal: Principal;
  try {
    principal = await resolvePrincipal(
      ctx.db,
      req.headers.authorization,
      req.socket.remoteAddress ?? "",
      Date.now(),
    );
    checkRepoAccess(ctx.db, principal, repo, "contents", write ? "write" : "read");
  } catch (e) {
    const status = e instanceof ForgeHttpError ? e.status : 500;
    // git only sends credentials after a Basic challenge, so anonymous callers get 401.
    if (status === 401 || (req.headers.authorization === undefined && status === 404)) {
      return plain(res, 401, "Authentication required", {
        "WWW-Authenticate": 'Basic realm="GitHub"',
      });
    }
    return plain(
      res,
      status === 404 ? 404 : 403,
      status === 404 ? "Repository not found." : "Permission denied",
    );
  }
  const pushing = req.method === "POST" && rest === "/git-receive-pack";
  const before = pushing ? await ctx.git.refs(repo.id) : undefined;
  const actor =
    principal.kind === "anonymous" || principal.kind === "app" ? undefined : ctx.actor(principal);
  const env: Record<string, string> = {
    GIT_PROJECT_ROOT: ctx.git.root,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: `/${repo.id}.git${rest}`,
    REQUEST_METHOD: req.method ?? "GET",
    QUERY_STRING: url.search.replace(/^\?/, ""),
    REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
    REMOTE_USER: actor?.login ?? "anonymous",
    FORGE_PROTECTED_REFS: pushing ? protectedRefs(ctx, repo, principal).join(" ") : "",
  };
  const h = req.headers;
  if (h["content-type"]) env.CONTENT_TYPE = h["content-type"];
  if (h["content-length"]) env.CONTENT_LENGTH = h["content-length"];
  if (typeof h["content-encoding"] === "string") env.HTTP_CONTENT_ENCODING = h["content-encoding"];
  if (typeof h["git-protocol"] === "string") env.GIT_PROTOCOL = h["git-protocol"];
  // A push changes refs: GitRepos must not answer ref reads from before it.
  const cgi = () => runCgi(env, req, res);
  await (write ? ctx.git.writing(repo.id, cgi) : cgi());
  if (before && actor) {
    const updates = refUpdates(before, await ctx.git.refs(repo.id));
    // Queued before the client hears back, so waitIdle() after a push covers its events.
    if (updates.length > 0) {
      const work = ctx.git.serial(repo.id, () => afterPush(ctx, repo, actor, updates));
      ctx.background.track(work, (e) => ctx.log(`forge: after push: ${String(e)}`));
    }
  }
  res.end();
}
