/**
 * Branch protection: required status checks (by name and, when given, the
 * app that must report them), required approving reviews, enforce_admins.
 * The pre-receive hook and the merge endpoint enforce what is stored here.
 */
import type { ForgeContext } from "../context.js";
import { ForgeHttpError, missingField } from "../http/errors.js";
import { noContent, ok, type Routes } from "../http/types.js";
import { ownerOf } from "../model/db.js";
import type { ProtectionRow, RepoRow } from "../model/rows.js";

export function protectionFor(
  ctx: ForgeContext,
  repo: RepoRow,
  branch: string,
): ProtectionRow | undefined {
  return ctx.db.protections.find((p) => p.repoId === repo.id && p.branch === branch);
}

export function protectionJson(
  ctx: ForgeContext,
  repo: RepoRow,
  p: ProtectionRow,
): Record<string, unknown> {
  const url = `${ctx.urls.api}/repos/${ownerOf(ctx.db, repo).login}/${repo.name}/branches/${encodeURIComponent(p.branch)}/protection`;
  const off = () => ({ enabled: false });
  return {
    url,
    ...(p.required_status_checks
      ? {
          required_status_checks: {
            url: `${url}/required_status_checks`,
            strict: p.required_status_checks.strict,
            contexts: p.required_status_checks.checks.map((c) => c.context),
            contexts_url: `${url}/required_status_checks/contexts`,
            checks: p.required_status_checks.checks,
          },
        }
      : {}),
    ...(p.required_pull_request_reviews
      ? {
          required_pull_request_reviews: {
            url: `${url}/required_pull_request_reviews`,
            ...p.required_pull_request_reviews,
          },
        }
      : {}),
    enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforce_admins },
    required_linear_history: off(),
    allow_force_pushes: off(),
    allow_deletions: off(),
    block_creations: off(),
    required_conversation_resolution: off(),
    lock_branch: off(),
    allow_fork_syncing: off(),
  };
}

function parseChecks(raw: Record<string, unknown>): { context: string; app_id: number | null }[] {
  const checks = Array.isArray(raw.checks)
    ? (raw.checks as { context?: unknown; app_id?: unknown }[]).map((c) => ({
        context: typeof c.context === "string" ? c.context : "",
        app_id: typeof c.app_id === "number" ? c.app_id : null,
      }))
    : [];
  const contexts = Array.isArray(raw.contexts) ? (raw.contexts as unknown[]).map(String) : [];
  for (const context of contexts)
    if (!checks.some((c) => c.context === context)) checks.push({ context, app_id: null });
  return checks;
}

export function registerProtection(routes: Routes, ctx: ForgeContext): void {
  const branchOf = async (repo: RepoRow, name: string): Promise<string> => {
    if (!(await ctx.git.resolve(repo.id, `refs/heads/${name}`)))
      throw new ForgeHttpError(404, "Branch not found");
    return name;
  };

  routes.api("PUT", "/repos/{owner}/{repo}/branches/{branch}/protection", async (req) => {
    const repo = ctx.repoFor(req, "administration", "admin");
    const branch = await branchOf(repo, req.params.branch ?? "");
    const body = await req.body();
    for (const f of [
      "required_status_checks",
      "enforce_admins",
      "required_pull_request_reviews",
      "restrictions",
    ]) {
      if (!(f in body.data)) throw missingField(f);
    }
    const rsc = body.optObject("required_status_checks");
    const reviews = body.optObject("required_pull_request_reviews");
    const fields: Omit<ProtectionRow, "id"> = {
      repoId: repo.id,
      branch,
      required_status_checks: rsc
        ? { strict: rsc.strict === true, checks: parseChecks(rsc) }
        : null,
      enforce_admins: body.optBool("enforce_admins") ?? false,
      required_pull_request_reviews: reviews
        ? {
            required_approving_review_count:
              typeof reviews.required_approving_review_count === "number"
                ? reviews.required_approving_review_count
                : 1,
            dismiss_stale_reviews: reviews.dismiss_stale_reviews === true,
            require_code_owner_reviews: reviews.require_code_owner_reviews === true,
          }
        : null,
    };
    const existing = protectionFor(ctx, repo, branch);
    const row = existing
      ? ctx.db.protections.update(existing.id, fields)
      : ctx.db.protections.insert(fields);
    return ok(protectionJson(ctx, repo, row ?? { id: 0, ...fields }));
  });

  routes.api("GET", "/repos/{owner}/{repo}/branches/{branch}/protection", async (req) => {
    const repo = ctx.repoFor(req, "administration", "read");
    const branch = await branchOf(repo, req.params.branch ?? "");
    const p = protectionFor(ctx, repo, branch);
    if (!p) throw new ForgeHttpError(404, "Branch not protected");
    return ok(protectionJson(ctx, repo, p));
  });

  routes.api("DELETE", "/repos/{owner}/{repo}/branches/{branch}/protection", async (req) => {
    const repo = ctx.repoFor(req, "administration", "admin");
    const branch = await branchOf(repo, req.params.branch ?? "");
    const p = protectionFor(ctx, repo, branch);
    if (!p) throw new ForgeHttpError(404, "Branch not protected");
    ctx.db.protections.remove(p.id);
    return noContent();
  });
}
