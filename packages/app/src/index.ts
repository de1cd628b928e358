/**
 * The livepatch GitHub App: a GitOps controller where patches are pull
 * requests. Registers one handler per event; the decisions live beside them
 * (gate, policy, plan, checks, comment, provenance).
 */
import type { ApplicationFunction, Context, Probot } from "probot";
import { createHash } from "node:crypto";
import { botLoginOf } from "./bot-login.js";
import { DeliveryLog, PayloadLog } from "./deliveries.js";
import type { AppDeps } from "./deps.js";
import { onCheckRunRerequested } from "./handlers/check-run.js";
import { onDispatch } from "./handlers/dispatch.js";
import { onPullRequest } from "./handlers/pull-request.js";
import { onRelease } from "./handlers/release.js";
import { onReview } from "./handlers/review.js";
import { refreshAllInstallations } from "./handlers/startup.js";
import { onWorkflowRun } from "./handlers/workflow-run.js";
import { workKey } from "./work-key.js";

export interface LivepatchAppOptions {
  /** Check every installation's manifest freshness once the app is loaded. */
  refreshOnStartup?: boolean;
}

/** The Probot app function for `deps`. */
export function livepatchApp(
  given: AppDeps,
  options: LivepatchAppOptions = {},
): ApplicationFunction {
  return (app: Probot) => {
    const deps: AppDeps = given.botLogin ? given : { ...given, botLogin: botLoginOf(app) };
    const done = new DeliveryLog();
    const inFlight = new Set<string>();
    const payloads = new PayloadLog();
    // The delivery is answered as soon as its work is queued (see work.ts);
    // a failure is logged and shown on a check run by the handler's guard.
    const once =
      <C extends Context>(handler: (context: C, deps: AppDeps) => Promise<void>) =>
      (context: C): Promise<void> => {
        if (done.has(context.id) || inFlight.has(context.id)) {
          context.log.info(
            { deliveryId: context.id },
            `delivery ${context.id} was handled already: skipped`,
          );
          return Promise.resolve();
        }
        // A byte-identical body serializes identically: the digest stands for the signed body.
        const digest = createHash("sha256").update(JSON.stringify(context.payload)).digest("hex");
        const first = payloads.replayOf(digest, context.id, deps.clock.now().getTime());
        if (first !== undefined) {
          context.log.warn(
            { deliveryId: context.id, replayOf: first },
            `delivery ${context.id} (${context.name}) repeats the payload of delivery ${first}: dropped as a replay`,
          );
          return Promise.resolve();
        }
        inFlight.add(context.id);
        deps.work
          .run(workKey(context), () => handler(context, deps))
          .then(
            () => done.add(context.id),
            (e: unknown) =>
              context.log.error(
                { err: e, deliveryId: context.id },
                `delivery ${context.id} (${context.name}) failed`,
              ),
          )
          .finally(() => inFlight.delete(context.id));
        return Promise.resolve();
      };
    app.on(
      [
        "pull_request.opened",
        "pull_request.synchronize",
        "pull_request.reopened",
        "pull_request.edited",
      ],
      once(onPullRequest),
    );
    app.on(
      [
        "pull_request_review.submitted",
        "pull_request_review.edited",
        "pull_request_review.dismissed",
      ],
      once(onReview),
    );
    app.on("check_run.rerequested", once(onCheckRunRerequested));
    app.on("workflow_run.completed", once(onWorkflowRun));
    app.on("repository_dispatch", once(onDispatch));
    app.on("release", once(onRelease));
    if (options.refreshOnStartup) {
      refreshAllInstallations(app, deps).catch((e: unknown) =>
        app.log.error({ err: e }, "startup refresh failed"),
      );
    }
  };
}
