/**
 * startForge: a GitHub Enterprise Server–shaped HTTP server on loopback.
 * This file only wires parts together and routes; each concern has a room.
 *
 * How to add an area (checks, releases, actions, …):
 * - Write `rest/<area>.ts` exporting `register<Area>(routes: Routes, ctx: ForgeContext)`
 *   and add one line to AREAS below. Register with OpenAPI paths:
 *   `routes.api("POST", "/repos/{owner}/{repo}/check-runs", handler)`;
 *   `routes.uploads(...)` for `/api/uploads`, `routes.web(...)` for the web root
 *   (public downloads, `/_storage/...`). A trailing `{path*}` takes the rest of the path.
 *   Routes under `/_forge/` are forge-only: the conformance hook gets no operationPath for them.
 * - A handler gets a `ForgeRequest` (params, query, principal, `await req.body()`
 *   for typed JSON fields with GitHub's 422s) and returns a `Reply`
 *   (`ok(body)`, `created(body)`, `noContent()`, `{ status, stream, headers }`).
 *   Refuse by throwing `ForgeHttpError` (http/errors.ts: notFound(), validationFailed([...]), …).
 * - Permission: `const repo = ctx.repoFor(req, "checks", "write")` answers 404 for a
 *   repository the caller cannot see, 403 "Resource not accessible by integration"
 *   for a token without the permission, and returns the RepoRow otherwise.
 *   `ctx.actor(req.principal)` is the acting account (webhook `sender`).
 * - State: `ctx.store.table<MyRow>("my_rows")` gives insert/update/remove/get/filter
 *   with sequential ids; rows are plain JSON. Mutating requests are committed
 *   (atomic write of state.json) before the answer is sent; background work calls
 *   `await ctx.store.commit()`. Large bytes go to `ctx.blobs.put(stream, max)`
 *   (temp file, fsync, rename) before the row that names them is inserted.
 * - Lists: `paginate(items, req.url)` → `{ items, link }`; send `Link: link`.
 * - Webhooks: `ctx.webhooks.emit({ event, action, repo, sender, payload })` adds
 *   repository/organization/sender/installation and delivers to subscribed apps.
 * - Background work: `ctx.background.track(promise)`; `forge.waitIdle()` waits for it.
 * - Renderers: `ctx.json.user(row)`, `ctx.json.repo(row)`; model/*-json.ts.
 * - Seams for the checks and Actions areas (ctx.hooks, replace the defaults):
 *   `requiredChecksState(repo, sha, checks)` → "success" | "pending" | "failure"
 *   (merge gate for protected branches; default: "pending" when any check is required);
 *   `onRepoEvent(repo, event: WorkflowEvent)` after a push and after pull_request
 *   opened/synchronize/reopened, with changedFiles (default: nothing).
 */
import { mkdir } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ForgeError } from "./errors.js";
import { checkRepoAccess } from "./auth/access.js";
import type { Principal } from "./auth/principal.js";
import { Background } from "./background.js";
import type { ForgeContext, ForgeHooks } from "./context.js";
import { forgeHandle } from "./forge-handle.js";
import { GIT_PATH, serveGit } from "./git/serve-git.js";
import { GitRepos } from "./git/repos.js";
import { notFound, requiresAuthentication } from "./http/errors.js";
import { Faults } from "./http/faults.js";
import { handleRequest } from "./http/handle-request.js";
import { RateLimits } from "./http/rate-limit.js";
import { Router } from "./http/router.js";
import type { Routes } from "./http/types.js";
import { findRepo, openDb, ownerOf } from "./model/db.js";
import { repositoryJson } from "./model/repo-json.js";
import { urlsFor } from "./model/urls.js";
import { organizationSimple, simpleUser } from "./model/user-json.js";
import { registerActions } from "./rest/actions.js";
import { registerAdmin } from "./rest/admin.js";
import { registerAppManifests } from "./rest/app-manifests.js";
import { registerApps } from "./rest/apps.js";
import { registerChecks } from "./rest/checks.js";
import { registerDeliveries } from "./rest/deliveries.js";
import { registerBranches } from "./rest/branches.js";
import { registerGitTrees } from "./rest/git-trees.js";
import { registerCollaborators } from "./rest/collaborators.js";
import { registerComments } from "./rest/comments.js";
import { registerCommits } from "./rest/commits.js";
import { registerContents } from "./rest/contents.js";
import { registerProtection } from "./rest/protection.js";
import { registerPullMerge } from "./rest/pull-merge.js";
import { registerPulls } from "./rest/pulls.js";
import { registerRepos } from "./rest/repos.js";
import { registerReviews } from "./rest/reviews.js";
import { registerTimeline } from "./rest/timeline.js";
import { registerTeams } from "./rest/teams.js";
import { registerReleases } from "./rest/releases.js";
import { registerStatuses } from "./rest/statuses.js";
import { registerStorage } from "./rest/storage.js";
import { registerUsers } from "./rest/users.js";
import { ensureSiteAdmin } from "./site-admin.js";
import { Blobs } from "./persistence/blob-files.js";
import { Store } from "./persistence/state-tables.js";
import type { Forge, ForgeOptions } from "./types.js";
import { Webhooks } from "./webhooks/webhooks.js";

/** Every REST area, one line each. */
const AREAS: ((routes: Routes, ctx: ForgeContext) => void)[] = [
  registerAdmin,
  registerApps,
  registerAppManifests,
  registerDeliveries,
  registerUsers,
  registerRepos,
  registerContents,
  registerCommits,
  registerBranches,
  registerGitTrees,
  registerProtection,
  registerPulls,
  registerPullMerge,
  registerReviews,
  registerComments,
  registerTimeline,
  registerCollaborators,
  registerTeams,
  registerChecks,
  registerStatuses,
  registerReleases,
  registerStorage,
  registerActions,
];

const defaultHooks = (): ForgeHooks => ({
  requiredChecksState: (_repo, _sha, checks) => (checks.length === 0 ? "success" : "pending"),
  onRepoEvent: () => undefined,
});

export async function startForge(options: ForgeOptions): Promise<Forge> {
  await mkdir(options.dataDir, { recursive: true });
  const store = await Store.open(options.dataDir);
  const db = openDb(store);
  const background = new Background();
  const log = options.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const urls = urlsFor("http://127.0.0.1:0");
  const json = {
    user: (u: Parameters<typeof simpleUser>[1]) => simpleUser(ctx.urls, u),
    org: (u: Parameters<typeof simpleUser>[1]) => organizationSimple(ctx.urls, u),
    repo: (r: Parameters<typeof repositoryJson>[1]) => repositoryJson(ctx.urls, r, ownerOf(db, r)),
  };
  const ctx: ForgeContext = {
    dataDir: options.dataDir,
    store,
    db,
    blobs: new Blobs(join(options.dataDir, "blobs")),
    git: new GitRepos(join(options.dataDir, "git")),
    urls,
    limits: { jsonBytes: 1024 * 1024, uploadBytes: 512 * 1024 * 1024, ...options.limits },
    background,
    webhooks: new Webhooks({
      db,
      store,
      dataDir: options.dataDir,
      background,
      json,
      log,
      ...(options.onWebhook ? { onWebhook: options.onWebhook } : {}),
    }),
    faults: new Faults(),
    assetDigests: options.assetDigests ?? true,
    hooks: defaultHooks(),
    branchPushListeners: [],
    runner: options.runner,
    runnerEnv: options.runnerEnv ?? {},
    sandbox: options.sandbox,
    now: () => new Date(),
    log,
    json,
    repoFor: (req, permission, level) => {
      const repo = findRepo(db, req.params.owner ?? "", req.params.repo ?? "");
      if (!repo) throw notFound();
      checkRepoAccess(db, req.principal, repo, permission, level);
      return repo;
    },
    actor: (p: Principal) => {
      if (p.kind === "user") return p.user;
      if (p.kind === "installation") return p.actor;
      throw requiresAuthentication();
    },
  };
  const router = new Router();
  for (const register of AREAS) register(router, ctx);
  const pipeline = {
    ctx,
    router,
    rateLimits: new RateLimits(),
    ...(options.onResponse ? { onResponse: options.onResponse } : {}),
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://forge");
    const git = GIT_PATH.exec(url.pathname);
    const work = git ? serveGit(ctx, req, res, url, git) : handleRequest(pipeline, req, res);
    // A push's webhooks and workflow runs start after git's answer: waitIdle() must see them.
    if (git) background.track(work);
    work.catch((e: unknown) => {
      log(`forge: request failed: ${String(e)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
  const server = createServer(onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) =>
      reject(
        new ForgeError("FORGE_START_FAILED", `forge cannot listen: ${e.message}`, { cause: e }),
      ),
    );
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const port = (server.address() as AddressInfo).port;
  ctx.urls = urlsFor(`http://${options.host ?? "127.0.0.1"}:${port}`);
  const adminToken = await ensureSiteAdmin(ctx);
  return forgeHandle(ctx, server, port, adminToken);
}
