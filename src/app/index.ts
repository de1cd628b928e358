/**
 * The livepatch GitHub App: a GitOps controller where patches are pull
 * requests. Registers one handler per event; the decisions live beside them
 * (gate, policy, plan, checks, comment, provenance).
 */
import type { ApplicationFunction, Context, Probot } from "probot";
import { DeliveryLog } from "./deliveries.js";
import type { AppDeps } from "./deps.js";
import { onDispatch } from "./handlers/dispatch.js";
import { onPullRequest } from "./handlers/pull-request.js";
import { onReview } from "./handlers/review.js";
import { refreshAllInstallations } from "./handlers/startup.js";
import { onWorkflowRun } from "./handlers/workflow-run.js";

export interface LivepatchAppOptions {
  /** Check every installation's manifest freshness once the app is loaded. */
  refreshOnStartup?: boolean;
}

/** The Probot app function for `deps`. */
export function livepatchApp(
  deps: AppDeps,
  options: LivepatchAppOptions = {},
): ApplicationFunction {
  return (app: Probot) => {
    const done = new DeliveryLog();
    const once =
      <C extends Context>(handler: (context: C, deps: AppDeps) => Promise<void>) =>
      async (context: C): Promise<void> => {
        if (done.has(context.id)) {
          context.log.info(
            { deliveryId: context.id },
            `delivery ${context.id} was handled already: skipped`,
          );
          return;
        }
        await handler(context, deps);
        done.add(context.id);
      };
    app.on(
      ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"],
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
    app.on("workflow_run.completed", once(onWorkflowRun));
    app.on("repository_dispatch", once(onDispatch));
    if (options.refreshOnStartup) {
      refreshAllInstallations(app, deps).catch((e: unknown) =>
        app.log.error({ err: e }, "startup refresh failed"),
      );
    }
  };
}
