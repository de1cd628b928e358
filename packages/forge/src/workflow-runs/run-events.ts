/** `workflow_run` webhooks: requested, in_progress, completed, with the run and its workflow. */
import type { ForgeContext } from "../context.js";
import { workflowJson } from "../model/actions-json.js";
import type { RunRow } from "../model/actions-rows.js";
import { ownerOf } from "../model/db.js";
import type { RepoRow } from "../model/rows.js";
import { actionsContext, renderRun, type ActionsDb } from "./actions-db.js";

export function emitWorkflowRun(
  ctx: ForgeContext,
  db: ActionsDb,
  repo: RepoRow,
  run: RunRow,
  action: "requested" | "in_progress" | "completed",
): void {
  const workflow = db.workflows.get(run.workflowId);
  const sender = ctx.db.users.get(run.actorId) ?? ownerOf(ctx.db, repo);
  ctx.webhooks.emit({
    event: "workflow_run",
    action,
    repo,
    sender,
    payload: {
      workflow_run: renderRun(ctx, repo, run),
      workflow: workflow ? workflowJson(actionsContext(ctx, repo), workflow) : null,
    },
  });
}
