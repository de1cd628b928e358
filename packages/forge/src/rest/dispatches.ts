/**
 * `workflow_dispatch` (POST …/actions/workflows/{id}/dispatches, `ref` and
 * `inputs`) and `repository_dispatch` (POST …/dispatches, `event_type` and
 * `client_payload`): both answer 204, raise their webhook and start the
 * workflows whose `on:` selects them.
 */
import type { ActionsDb } from "../workflow-runs/actions-db.js";
import { ensureWorkflow, workflowOf } from "../workflow-runs/actions-db.js";
import type { Orchestrator } from "../workflow-runs/orchestrator.js";
import { workflowFilesAt } from "../workflow-runs/workflow-files.js";
import type { ForgeContext } from "../context.js";
import { ForgeHttpError, invalidField } from "../http/errors.js";
import { noContent, type Routes } from "../http/types.js";
import type { RepoRow } from "../model/rows.js";
import type { WorkflowEvent } from "../runner/contract.js";

const MAX_INPUTS = 10;
const MAX_CLIENT_PAYLOAD_KEYS = 10;
const MAX_EVENT_TYPE = 100;

async function fullRef(ctx: ForgeContext, repo: RepoRow, ref: string): Promise<string> {
  if (ref.startsWith("refs/")) return ref;
  const refs = await ctx.git.refs(repo.id);
  return refs.has(`refs/heads/${ref}`) ? `refs/heads/${ref}` : `refs/tags/${ref}`;
}

export function registerDispatches(
  routes: Routes,
  ctx: ForgeContext,
  db: ActionsDb,
  orchestrator: Orchestrator,
): void {
  routes.api(
    "POST",
    "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
    async (req) => {
      const repo = ctx.repoFor(req, "actions", "write");
      const body = await req.body();
      const ref = body.string("ref");
      const inputs = body.optObject("inputs") ?? {};
      if (Object.keys(inputs).length > MAX_INPUTS) {
        throw invalidField("inputs", `has more than ${MAX_INPUTS} properties`);
      }
      const sha = await ctx.git.resolve(repo.id, ref);
      if (sha === undefined) throw new ForgeHttpError(422, `No ref found for: ${ref}`);
      const files = await workflowFilesAt(ctx.git, repo.id, sha);
      for (const f of files) ensureWorkflow(ctx, db, repo, f);
      const workflow = workflowOf(db, repo, req.params.workflow_id);
      const file = files.find((f) => f.path === workflow.path);
      if (!file) throw new ForgeHttpError(404, `No workflow file found at ${ref}`);
      const qualified = await fullRef(ctx, repo, ref);
      const sender = ctx.actor(req.principal);
      const payload = { inputs, ref: qualified, workflow: workflow.path };
      const event: WorkflowEvent = {
        name: "workflow_dispatch",
        payload: { ...payload, sender: { login: sender.login } },
        branch: qualified.replace(/^refs\/(heads|tags)\//, ""),
      };
      if (ctx.runner && !ctx.runner.workflowTriggers(file.text, event)) {
        throw new ForgeHttpError(422, "Workflow does not have 'workflow_dispatch' trigger");
      }
      ctx.webhooks.emit({ event: "workflow_dispatch", repo, sender, payload });
      await orchestrator.trigger({ repo, event, sha, actor: sender, onlyPath: workflow.path });
      return noContent();
    },
  );

  routes.api("POST", "/repos/{owner}/{repo}/dispatches", async (req) => {
    const repo = ctx.repoFor(req, "contents", "write");
    const body = await req.body();
    const eventType = body.string("event_type");
    if (eventType.length === 0 || eventType.length > MAX_EVENT_TYPE) {
      throw invalidField("event_type", `must be 1 to ${MAX_EVENT_TYPE} characters`);
    }
    const clientPayload = body.optObject("client_payload") ?? {};
    if (Object.keys(clientPayload).length > MAX_CLIENT_PAYLOAD_KEYS) {
      throw invalidField("client_payload", `has more than ${MAX_CLIENT_PAYLOAD_KEYS} properties`);
    }
    const sender = ctx.actor(req.principal);
    const payload = {
      action: eventType,
      branch: repo.default_branch,
      client_payload: clientPayload,
    };
    ctx.webhooks.emit({ event: "repository_dispatch", action: eventType, repo, sender, payload });
    const sha = await ctx.git.resolve(repo.id, repo.default_branch);
    if (sha !== undefined) {
      const event: WorkflowEvent = {
        name: "repository_dispatch",
        action: eventType,
        payload: { ...payload, sender: { login: sender.login } },
        branch: repo.default_branch,
      };
      await orchestrator.trigger({ repo, event, sha, actor: sender });
    }
    return noContent();
  });
}
