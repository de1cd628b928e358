/**
 * release events (created, edited, deleted, ...): whoever can push can mark
 * an older release "latest", and hosts reading releases/latest/download and
 * anything else trusting GitHub's flag would get its manifest. The app puts
 * "latest" back on the newest release its own record names. It never
 * publishes from here.
 */
import type { Context } from "probot";
import type { AppDeps } from "../deps.js";
import { restoreLatest } from "../github/own-releases.js";
import { publishBase } from "../github/publish-base.js";

export async function onRelease(context: Context<"release">, deps: AppDeps): Promise<void> {
  const ref = context.repo();
  const log = (l: string): void => context.log.info({ deliveryId: context.id }, l);
  try {
    await deps.publishQueue.run(`${ref.owner}/${ref.repo}`, async () => {
      const base = await publishBase(context.octokit, ref, deps, log);
      const record = base.state.record;
      if (record) await restoreLatest(base.store, record.tag, base.bot, log);
    });
  } catch (e) {
    // No commit to hang a check run on: the log (with the delivery id) is where it shows.
    context.log.error(
      { err: e, deliveryId: context.id },
      `restoring the latest release failed (delivery ${context.id})`,
    );
    throw e;
  }
}
