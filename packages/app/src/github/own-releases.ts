/**
 * Releases and tags the app made, told apart from ones a collaborator made:
 * a release is the app's only when its author is the app's bot account, and
 * a tag `v<N>` no app-made release holds belongs to someone else. Neither
 * kind is ever taken as published by the app.
 */
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import type { Release, ReleaseStore } from "@livepatch-gitops/lpctl/publisher/release-store";
import { httpStatus, type Octokit, type RepoRef } from "./types.js";

/** Versions tried past tags someone else holds before refusing. */
const MAX_SKIPPED = 20;

/** Is `release` one the app itself created? */
export function isOwn(release: Release | undefined, bot: string): boolean {
  return release?.author === bot;
}

/**
 * The first version from `from` whose tag is free or held by the app's own
 * release (a half-published one is resumed there). A release or a bare tag
 * someone else made is skipped: publishing into it would take their content
 * (or their commit) as ours.
 */
export async function freeVersion(
  octokit: Octokit,
  ref: RepoRef,
  store: ReleaseStore,
  bot: string,
  from: number,
  log: (line: string) => void,
): Promise<number> {
  for (let v = from; v < from + MAX_SKIPPED; v++) {
    const tag = `v${v}`;
    const release = await store.getReleaseByTag(tag);
    if (release !== undefined) {
      if (isOwn(release, bot)) return v;
      log(`${tag} is a release by ${release.author ?? "someone else"}, not the app: skipped`);
      continue;
    }
    if (!(await tagExists(octokit, ref, tag))) return v;
    log(`tag ${tag} exists without a release by the app: skipped`);
  }
  throw new LpctlError(
    "RELEASE_TAG_TAKEN",
    `tags v${from} to v${from + MAX_SKIPPED - 1} are all held by releases or tags the app did not make; delete those tags (the app publishes only into tags it creates)`,
  );
}

async function tagExists(octokit: Octokit, ref: RepoRef, tag: string): Promise<boolean> {
  try {
    await octokit.rest.git.getRef({ ...ref, ref: `tags/${tag}` });
    return true;
  } catch (e) {
    if (httpStatus(e) === 404) return false;
    throw new LpctlError("GITHUB_FAILED", `cannot read tag ${tag}: ${String(e)}`, { cause: e });
  }
}

/**
 * "latest" back on the app's newest release `tag` when someone moved it:
 * the refresh and hosts reading releases/latest must see what the app
 * published last, not an older release re-flagged.
 */
export async function restoreLatest(
  store: ReleaseStore,
  tag: string,
  bot: string,
  log: (line: string) => void,
): Promise<void> {
  const latest = await store.getLatestRelease();
  if (latest?.tag === tag && isOwn(latest, bot)) return;
  const own = await store.getReleaseByTag(tag);
  if (own === undefined || !isOwn(own, bot)) {
    log(`the app's newest release ${tag} is gone; the next publish marks its release latest`);
    return;
  }
  await store.markLatest(own);
  log(`${latest?.tag ?? "no release"} was marked latest; marked ${tag} (the app's newest) again`);
}
