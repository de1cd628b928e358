/**
 * The one publish orchestration, shared by `lpctl publish` and the app: the
 * signer's key checked against the key lists, the issue window of a
 * half-published version resumed, the next manifest built (new builds plus
 * targets carried from the previous signed manifest, or a refresh) and
 * signed, then the key lists and release files published to a GitHub
 * release and/or a mirror directory. Callers decide what to trust (which
 * run, which previous manifest); this decides nothing about that.
 */
import type { PatchInfo } from "../core/manifest-build.js";
import type { Manifest } from "../core/manifest.js";
import type { NotLivePatchable } from "../core/not-live-patchable.js";
import type { PlanTree } from "../core/plan-tree.js";
import type { Signer } from "../core/sign/signer.js";
import type { Carried } from "./carry-over.js";
import { writeMirror } from "./mirror-directory.js";
import { prepareRelease } from "./prepare-release.js";
import { publishRelease, type PublishResult } from "./publish-release.js";
import type { BuildOutputs } from "./read-build-outputs.js";
import { checkSignerListed, keyListFiles } from "./read-key-lists.js";
import type { PublishedDir } from "./read-published.js";
import type { ReleaseFile } from "./release-files.js";
import { resumeWindow } from "./release-manifest.js";
import type { ReleaseStore } from "./release-store.js";
import type { RingsInput } from "./ring-releases.js";

export interface PublishNextInput {
  signer: Signer;
  /** The signer's public key and every key it signed earlier versions with (rotation). */
  ownKeys: readonly string[];
  /** The previous manifest, already verified with `ownKeys`. */
  previous?: Manifest;
  /** The version to issue when not previous + 1. */
  version?: number;
  outputs?: BuildOutputs;
  carried?: Carried;
  refresh?: PublishedDir;
  patches: Readonly<Record<string, PatchInfo>>;
  /** Not-live-patchable records by target, from the repository at the built commit. */
  records?: Readonly<Record<string, readonly NotLivePatchable[]>>;
  /** The published commit's tree: targets it leaves without a patch get an entry without a module. */
  head?: PlanTree;
  repository?: string;
  now: Date;
  lifetimeDays: number;
  /** A directory of signed key lists (keys-<N>.json + .asc) published beside the manifest. */
  keyLists?: string;
  /** A GitHub release v<version> at `commit`. */
  github?: { store: ReleaseStore; commit: string };
  /** A mirror directory. */
  mirror?: string;
  /** The repository's rings (.github/livepatch-rings.yml); absent: no ring files. */
  rings?: RingsInput;
  log: (line: string) => void;
}

export interface PublishedNext {
  manifest: Manifest;
  files: ReleaseFile[];
  release?: PublishResult;
}

/** Builds, signs and publishes the next version. */
export async function publishNext(input: PublishNextInput): Promise<PublishedNext> {
  const { signer, now, lifetimeDays, log } = input;
  // The manifest names the signer's key-list version: hosts fetch lists only when it moves.
  const keys = input.keyLists ? await checkSignerListed(input.keyLists, signer.fingerprint) : 0;
  const version =
    input.version ??
    Math.max(input.previous?.version ?? 0, input.refresh?.manifest.version ?? 0) + 1;
  const window = input.github
    ? await resumeWindow(input.github.store, `v${version}`, input.ownKeys, {
        version,
        now,
        lifetimeDays,
      })
    : undefined;
  const prepared = await prepareRelease({
    ...(input.previous ? { previous: input.previous } : {}),
    ...(input.outputs ? { outputs: input.outputs } : {}),
    ...(input.carried ? { carried: input.carried } : {}),
    ...(input.refresh ? { refresh: input.refresh } : {}),
    ...(input.head ? { head: input.head } : {}),
    ...(input.version !== undefined ? { version: input.version } : {}),
    ...(input.repository ? { repository: input.repository } : {}),
    patches: input.patches,
    ...(input.records ? { records: input.records } : {}),
    now,
    lifetimeDays,
    signer,
    keys,
    ...(window ? { window } : {}),
    ...(input.rings ? { rings: input.rings } : {}),
  });
  // Key lists first: a host that sees a manifest by a new key finds its list.
  const files = [...(input.keyLists ? await keyListFiles(input.keyLists) : []), ...prepared.files];
  const release = input.github
    ? await publishRelease({
        store: input.github.store,
        version: prepared.manifest.version,
        commit: input.github.commit,
        files,
        log,
      })
    : undefined;
  if (input.mirror) await writeMirror(input.mirror, files, log);
  return { manifest: prepared.manifest, files, ...(release ? { release } : {}) };
}
