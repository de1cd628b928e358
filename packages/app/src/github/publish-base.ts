/**
 * What every publish by the app builds on, and nothing a collaborator can
 * change: the signing key and the keys it signed with before a rotation, the
 * app's own record of the newest version it published (its state directory),
 * and where carried modules are read from. Before the first record exists
 * (an app upgraded in place) the newest release the app's bot made, by
 * version, verified with its keys, takes the record's place once. Each
 * publish then goes through the publisher's one orchestration (publishNext)
 * into a GitHub release and the state mirror.
 */
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import type { Signer } from "@livepatch-gitops/lpctl/core/sign/signer";
import type { ModuleSource } from "@livepatch-gitops/lpctl/publisher/carry-over";
import { lockMirror } from "@livepatch-gitops/lpctl/publisher/publish-lock";
import {
  publishNext,
  type PublishNextInput,
  type PublishedNext,
} from "@livepatch-gitops/lpctl/publisher/publish-next";
import { octokitReleaseStore } from "@livepatch-gitops/lpctl/publisher/github-release";
import { releaseManifest } from "@livepatch-gitops/lpctl/publisher/release-manifest";
import type { RingsFile } from "@livepatch-gitops/lpctl/core/rings";
import { toRelease, type ApiRelease } from "@livepatch-gitops/lpctl/publisher/github-release-json";
import type { Release, ReleaseStore } from "@livepatch-gitops/lpctl/publisher/release-store";
import type { AppDeps } from "../deps.js";
import {
  readRepoState,
  repoStateDir,
  stateModule,
  writeRecord,
  type RepoState,
} from "../publish-state.js";
import { freeVersion, isOwn, restoreLatest } from "./own-releases.js";
import { ringsAt } from "./rings-at.js";
import type { Octokit, RepoRef } from "./types.js";

export interface PublishBase {
  signer: Signer;
  ownKeys: string[];
  store: ReleaseStore;
  bot: string;
  state: RepoState;
  /** Carried modules: the state mirror, or the bootstrap release. */
  modules: ModuleSource;
  where: string;
  keyLists?: string;
  /** The repository's rings at a commit (every publish issues each ring's manifests). */
  ringsAt: (commit: string) => Promise<RingsFile | undefined>;
  /** The first version from `from` on a tag nobody but the app holds. */
  freeVersion: (from: number) => Promise<number>;
}

/** The trust material and the app's record for `ref`, with "latest" back on that record. */
export async function publishBase(
  octokit: Octokit,
  ref: RepoRef,
  deps: AppDeps,
  log: (line: string) => void,
): Promise<PublishBase> {
  const base = await readBase(octokit, ref, deps, log);
  const { record } = base.state;
  if (record) await restoreLatest(base.store, record.tag, base.bot, log);
  return base;
}

async function readBase(
  octokit: Octokit,
  ref: RepoRef,
  deps: AppDeps,
  log: (line: string) => void,
): Promise<PublishBase> {
  const dir = repoStateDir(deps.stateDir, ref);
  const signer = await deps.signer();
  const keys = await ownKeys(deps, signer);
  const store = appReleaseStore(octokit, ref);
  const bot = await botLogin(deps);
  const common = {
    signer,
    ownKeys: keys,
    store,
    bot,
    ...(deps.keyLists ? { keyLists: deps.keyLists } : {}),
    ringsAt: (commit: string) => ringsAt(octokit, ref, commit),
    freeVersion: (from: number) => freeVersion(octokit, ref, store, bot, from, log),
  };
  const state = await readRepoState(dir, keys);
  if (state.record) return { ...common, state, modules: (f) => stateModule(dir, f), where: dir };
  const release = await newestOwnRelease(octokit, ref, bot);
  if (release === undefined)
    return { ...common, state, modules: () => Promise.resolve(undefined), where: dir };
  const manifest = await releaseManifest(store, release, keys);
  log(`no publish record yet: building on ${release.tag}, the app's newest release`);
  const assets = await store.listAssets(release);
  return {
    ...common,
    state: {
      dir,
      manifest,
      record: { version: manifest.version, tag: release.tag, commit: release.commit },
    },
    modules: async (file) => {
      const asset = assets.find((a) => a.name === file && a.state === "uploaded");
      return asset && store.downloadAsset(release, asset);
    },
    where: release.tag,
  };
}

/** The publisher's release store on the installation's Octokit (its own short-lived token). */
export function appReleaseStore(octokit: Octokit, ref: RepoRef): ReleaseStore {
  return octokitReleaseStore(octokit, ref, () => "check the app's contents:write permission");
}

/** The signing key's public key and the keys it signed with before a rotation. */
export async function ownKeys(deps: AppDeps, signer?: Signer): Promise<string[]> {
  const own = signer ?? (await deps.signer());
  return [own.publicKey, ...((await deps.previousKeys?.()) ?? [])];
}

/** What a publish by the app decides; the rest comes from its base. */
export type AppPublishInput = Omit<
  PublishNextInput,
  | "signer"
  | "ownKeys"
  | "previous"
  | "version"
  | "carry"
  | "github"
  | "mirror"
  | "keyLists"
  | "rings"
> & {
  /** Which targets of the app's last manifest are carried when not rebuilt or withdrawn. */
  keep: (target: string) => boolean;
};

/**
 * publishNext on the app's last manifest, as the next version on a free
 * tag, into a GitHub release and the state mirror, then the record, under
 * the state lock.
 */
export async function publishAndRecord(
  base: PublishBase,
  commit: string,
  input: AppPublishInput,
): Promise<PublishedNext & { tag: string }> {
  const { keep, ...rest } = input;
  const previous = base.state.manifest;
  const version = await base.freeVersion((previous?.version ?? 0) + 1);
  const lock = await lockMirror(base.state.dir, input.log);
  try {
    const rings = await base.ringsAt(commit);
    const next = await publishNext({
      ...rest,
      ...(previous ? { previous } : {}),
      version,
      carry: { keep, modules: base.modules, where: base.where },
      ...(rings ? { rings: { file: rings, local: base.modules } } : {}),
      signer: base.signer,
      ownKeys: base.ownKeys,
      ...(base.keyLists ? { keyLists: base.keyLists } : {}),
      github: { store: base.store, commit },
      mirror: base.state.dir,
    });
    const tag = `v${next.manifest.version}`;
    await writeRecord(base.state.dir, { version: next.manifest.version, tag, commit });
    return { ...next, tag };
  } finally {
    await lock.release();
  }
}

async function botLogin(deps: AppDeps): Promise<string> {
  if (deps.botLogin === undefined)
    throw new LpctlError("INTERNAL", "the app's bot login is not wired (livepatchApp sets it)");
  return deps.botLogin();
}

const TAG = /^v([1-9][0-9]*)$/;

/** The app's own release with the highest v<N>, whatever GitHub marks latest. */
async function newestOwnRelease(
  octokit: Octokit,
  ref: RepoRef,
  bot: string,
): Promise<Release | undefined> {
  const list = await octokit.paginate(octokit.rest.repos.listReleases, { ...ref, per_page: 100 });
  return list
    .map((r) => toRelease(r as ApiRelease))
    .filter((r) => isOwn(r, bot) && TAG.test(r.tag))
    .sort((a, b) => Number(TAG.exec(b.tag)?.[1]) - Number(TAG.exec(a.tag)?.[1]))[0];
}
