/**
 * A handler failure is never silent: it is logged with the delivery id and
 * shown on the commit as a failed check run with the reason. Errors the app
 * raises on purpose (LpctlError) end there; anything else is rethrown so
 * Probot logs it as a bug too.
 */
import type { Logger } from "probot";
import { isLpctlError } from "@livepatch-gitops/lpctl/core/errors";
import { failureOutput } from "./checks.js";
import { upsertCheckRun } from "./github/check-runs.js";
import type { Octokit, RepoRef } from "./github/types.js";

export interface GuardTarget {
  octokit: Octokit;
  ref: RepoRef;
  /** Commit the failure is shown on. */
  sha: string;
  /** The check run that carries the failure. */
  check: string;
  deliveryId: string;
  log: Logger;
  appId?: number;
}

/** Runs `work`; on failure logs it and completes `t.check` on `t.sha` as failed. */
export async function guarded(
  t: GuardTarget,
  what: string,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    t.log.error(
      { err: e, deliveryId: t.deliveryId, what },
      `${what} failed (delivery ${t.deliveryId}): ${reason}`,
    );
    await upsertCheckRun(
      t.octokit,
      t.ref,
      t.sha,
      t.check,
      {
        status: "completed",
        conclusion: "failure",
        output: failureOutput(what, reason, t.deliveryId),
      },
      t.appId,
    ).catch((report: unknown) =>
      t.log.error(
        { err: report, deliveryId: t.deliveryId },
        "could not report the failure as a check run",
      ),
    );
    if (!isLpctlError(e)) throw e;
  }
}
