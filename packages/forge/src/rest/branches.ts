/** Branches (list, get) and git refs (get one, list matching, create). */
import type { ForgeContext } from "../context.js";
import { afterPush } from "../git/after-push.js";
import { readCommit } from "../git/commit-log.js";
import { ZERO_SHA } from "../git/repos.js";
import { ForgeHttpError, notFound, validationFailed } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { created, ok, type Routes } from "../http/types.js";
import { commitJson } from "../model/commit-json.js";
import { ownerOf } from "../model/db.js";
import { nodeId } from "../model/node-id.js";
import type { RepoRow } from "../model/rows.js";
import { protectionFor, protectionJson } from "./protection.js";

const REF_NAME = /^(?!.*\.\.)(?!.*\/\/)(?!\/)(?!.*\/$)[A-Za-z0-9._\-/]+$/;

export function registerBranches(routes: Routes, ctx: ForgeContext): void {
  const api = (repo: RepoRow) =>
    `${ctx.urls.api}/repos/${ownerOf(ctx.db, repo).login}/${repo.name}`;
  const refJson = (repo: RepoRow, ref: string, sha: string) => ({
    ref,
    node_id: nodeId("Ref", parseInt(sha.slice(0, 8), 16)),
    url: `${api(repo)}/git/${ref}`,
    object: { type: "commit", sha, url: `${api(repo)}/git/commits/${sha}` },
  });

  routes.api("GET", "/repos/{owner}/{repo}/branches", async (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const refs = [...(await ctx.git.refs(repo.id))].filter(([r]) => r.startsWith("refs/heads/"));
    const page = paginate(refs, req.url);
    return ok(
      page.items.map(([ref, sha]) => {
        const name = ref.slice("refs/heads/".length);
        return {
          name,
          commit: { sha, url: `${api(repo)}/commits/${sha}` },
          protected: protectionFor(ctx, repo, name) !== undefined,
        };
      }),
      page.link ? { Link: page.link } : undefined,
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/branches/{branch}", async (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const name = req.params.branch ?? "";
    const sha = REF_NAME.test(name)
      ? await ctx.git.resolve(repo.id, `refs/heads/${name}`)
      : undefined;
    if (!sha) throw new ForgeHttpError(404, "Branch not found");
    const c = await readCommit(ctx.git, repo.id, sha);
    if (!c) throw notFound();
    const p = protectionFor(ctx, repo, name);
    const full = `${ownerOf(ctx.db, repo).login}/${repo.name}`;
    return ok({
      name,
      commit: commitJson(ctx.urls, ctx.db, full, c),
      _links: {
        html: `${ctx.urls.web}/${full}/tree/${name}`,
        self: `${api(repo)}/branches/${name}`,
      },
      protected: p !== undefined,
      protection: p ? protectionJson(ctx, repo, p) : { enabled: false },
      protection_url: `${api(repo)}/branches/${name}/protection`,
    });
  });

  routes.api("GET", "/repos/{owner}/{repo}/git/ref/{ref*}", async (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const ref = `refs/${req.params.ref ?? ""}`;
    const sha = (await ctx.git.refs(repo.id)).get(ref);
    if (!sha) throw notFound();
    return ok(refJson(repo, ref, sha));
  });

  routes.api("GET", "/repos/{owner}/{repo}/git/matching-refs/{ref*}", async (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const prefix = `refs/${req.params.ref ?? ""}`;
    const refs = [...(await ctx.git.refs(repo.id))].filter(([r]) => r.startsWith(prefix));
    return ok(refs.map(([r, sha]) => refJson(repo, r, sha)));
  });

  routes.api("POST", "/repos/{owner}/{repo}/git/refs", async (req) => {
    const repo = ctx.repoFor(req, "contents", "write");
    const body = await req.body();
    const ref = body.string("ref");
    const sha = body.string("sha");
    if (!ref.startsWith("refs/") || !REF_NAME.test(ref)) {
      throw validationFailed(
        [{ resource: "Reference", code: "invalid", field: "ref" }],
        "Reference name is invalid",
      );
    }
    if ((await ctx.git.refs(repo.id)).has(ref))
      throw new ForgeHttpError(422, "Reference already exists");
    const commit = await ctx.git.resolve(repo.id, sha);
    if (!commit || commit !== sha) throw new ForgeHttpError(422, "Object does not exist");
    await ctx.git.run(repo.id, ["update-ref", ref, sha, ""]);
    const update = { ref, before: ZERO_SHA, after: sha };
    const sender = ctx.actor(req.principal);
    ctx.background.track(
      ctx.git.serial(repo.id, () => afterPush(ctx, repo, sender, [update])),
      (e) => ctx.log(`forge: after ref create: ${String(e)}`),
    );
    return created(refJson(repo, ref, sha));
  });
}
