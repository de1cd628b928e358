/**
 * repository_dispatch `lpctl-refresh`, sent on a schedule by
 * .github/workflows/refresh.yml: re-issue the manifest when it is due.
 * Whoever can send a dispatch (write access) can only make the app check the
 * expiry: the content re-signed is what the app's own key signed already.
 */
import type { Context } from "probot";
import type { AppDeps } from "../deps.js";
import { loadConfig } from "../github/load-config.js";
import { refreshIfDue } from "../github/refresh.js";

export const REFRESH_EVENT = "lpctl-refresh";

export async function onDispatch(
  context: Context<"repository_dispatch">,
  deps: AppDeps,
): Promise<void> {
  if (context.payload.action !== REFRESH_EVENT) return;
  const ref = context.repo();
  const log = (l: string): void => context.log.info({ deliveryId: context.id }, l);
  try {
    const { config } = await loadConfig(context.octokit, ref);
    await deps.publishQueue.run(`${ref.owner}/${ref.repo}`, () =>
      refreshIfDue(context.octokit, ref, config, deps, log),
    );
  } catch (e) {
    // No commit to hang a check run on: the log (with the delivery id) is where it shows.
    context.log.error(
      { err: e, deliveryId: context.id },
      `manifest refresh failed (delivery ${context.id})`,
    );
    throw e;
  }
}
