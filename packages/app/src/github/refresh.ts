/**
 * Manifest freshness: re-issue the newest manifest the app published (its
 * own record, never whatever GitHub marks latest) as the next version when
 * it expires within the configured margin, through the same publisher
 * orchestration as every publish: same entries and modules (checked against
 * the signed manifest), new version, new expiry. Hosts that cannot get a
 * fresh manifest keep the loaded patch and refuse nothing newer; `lpctl
 * status` says the manifest expired.
 */
import type { PublishResult } from "@livepatch-gitops/lpctl/publisher/publish-release";
import type { AppConfig } from "@livepatch-gitops/lpctl/core/livepatch-config";
import type { AppDeps } from "../deps.js";
import { publishAndRecord, publishBase } from "./publish-base.js";
import type { Octokit, RepoRef } from "./types.js";

const HOUR_MS = 3_600_000;

/** The re-issued release, or undefined when nothing is published or the manifest is fresh enough. */
export async function refreshIfDue(
  octokit: Octokit,
  ref: RepoRef,
  config: AppConfig,
  deps: AppDeps,
  log: (line: string) => void,
): Promise<PublishResult | undefined> {
  const base = await publishBase(octokit, ref, deps, log);
  const { manifest: previous, record } = base.state;
  if (previous === undefined || record === undefined) return undefined;
  const now = deps.clock.now();
  const left = Date.parse(previous.expires) - now.getTime();
  if (left > config.manifest.refreshMarginHours * HOUR_MS) {
    log(`manifest v${previous.version} expires ${previous.expires}: not due for a refresh`);
    return undefined;
  }
  log(`re-issuing v${previous.version} (expires ${previous.expires}) as the next version`);
  // Every target carried as signed: same entries and modules, new version and expiry.
  const next = await publishAndRecord(base, record.commit, {
    keep: () => true,
    patches: {},
    repository: previous.repository,
    now,
    lifetimeDays: config.manifest.lifetimeHours / 24,
    log,
  });
  return next.release;
}
