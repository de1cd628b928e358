/**
 * `check_run` and `check_suite` webhooks. `created`/`completed` go to every
 * subscribed app and always to the app that owns the run; `rerequested`
 * goes only to the owning app's installation, as on GitHub.
 */
import type { ForgeContext } from "../context.js";
import { checkRunJson, checkSuiteJson, checkSuiteSimpleJson } from "../model/check-json.js";
import type { CheckRunRow, CheckSuiteRow } from "../model/check-rows.js";
import type { RepoRow, UserRow } from "../model/rows.js";
import { commitOf, jsonContext, type ChecksDb } from "./checks-db.js";

function ownerInstallation(ctx: ForgeContext, repo: RepoRow, appId: number) {
  return ctx.db.installations.find(
    (i) =>
      i.appId === appId &&
      i.accountId === repo.ownerId &&
      (i.repositorySelection === "all" || i.repositoryIds.includes(repo.id)),
  );
}

function simpleSuite(ctx: ForgeContext, repo: RepoRow, suite: CheckSuiteRow) {
  return checkSuiteSimpleJson(jsonContext(ctx, repo, suite.appId), suite, ctx.json.repo(repo));
}

export function emitCheckRun(
  ctx: ForgeContext,
  db: ChecksDb,
  repo: RepoRow,
  run: CheckRunRow,
  action: "created" | "completed" | "rerequested",
  sender: UserRow,
): void {
  const suite = db.suites.get(run.suiteId);
  if (!suite) return;
  const checkRun = {
    ...checkRunJson(jsonContext(ctx, repo, run.appId), run),
    check_suite: simpleSuite(ctx, repo, suite),
  };
  const installation =
    action === "rerequested" ? ownerInstallation(ctx, repo, run.appId) : undefined;
  if (action === "rerequested" && !installation) return;
  ctx.webhooks.emit({
    event: "check_run",
    action,
    repo,
    sender,
    payload: { check_run: checkRun },
    force: (app) => app.id === run.appId,
    ...(installation ? { installation } : {}),
  });
}

export async function emitSuiteCompleted(
  ctx: ForgeContext,
  db: ChecksDb,
  repo: RepoRow,
  suite: CheckSuiteRow,
  sender: UserRow,
): Promise<void> {
  const commit = await commitOf(ctx, repo, suite.head_sha);
  const runs = db.runs.filter((r) => r.suiteId === suite.id);
  const json = checkSuiteJson(jsonContext(ctx, repo, suite.appId), suite, {
    repository: ctx.json.repo(repo),
    headCommit: commit,
    runsCount: runs.length,
  });
  const installation = ownerInstallation(ctx, repo, suite.appId);
  if (!installation) return;
  ctx.webhooks.emit({
    event: "check_suite",
    action: "completed",
    repo,
    sender,
    installation,
    payload: { check_suite: json },
    force: (app) => app.id === suite.appId,
  });
}
