/**
 * The one publish orchestration, shared by `lpctl publish` and the app: the
 * signer's key checked against the key lists, the issue window of a
 * half-published version resumed, every new build checked against the
 * commit and run it must come from, the targets kept from the previous
 * signed manifest carried with their module bytes checked, withdrawals
 * applied, the next manifest (or a refresh) built and signed, then the key
 * lists and release files published to a GitHub release and/or a mirror
 * directory. The sides supply what differs: where the previous release and
 * its modules come from (a mirror or GitHub's latest; the app's own record),
 * which previous targets they keep, where files go, and the time.
 */
import type { PatchInfo } from "../core/manifest-build.js";
import type { Manifest } from "../core/manifest.js";
import type { NotLivePatchable } from "../core/not-live-patchable.js";
import type { PlanTree } from "../core/plan-tree.js";
import type { Signer } from "../core/sign/signer.js";
import { LpctlError } from "../core/errors.js";
import type { BuildSource } from "../core/build-report.js";
import { checkProvenance, type ExpectedSource } from "../core/provenance.js";
import { RINGS_PATH, type RingsFile } from "../core/rings.js";
import { withdrawnTargets } from "../core/withdrawn.js";
import { carryOver, type ModuleSource } from "./carry-over.js";
import { writeMirror } from "./mirror-directory.js";
import { prepareRelease } from "./prepare-release.js";
import { publishRelease, type PublishResult } from "./publish-release.js";
import type { BuildOutputs } from "./read-build-outputs.js";
import { checkSignerListed, keyListFiles } from "./read-key-lists.js";
import type { PublishedDir } from "./read-published.js";
import type { ReleaseFile } from "./release-files.js";
import { resumeWindow } from "./release-manifest.js";
import type { ReleaseStore } from "./release-store.js";
import type { RingSource } from "./ring-releases.js";
import { storeRingSource } from "./ring-source.js";

export interface PublishNextInput {
  signer: Signer;
  /** The signer's public key and every key it signed earlier versions with (rotation). */
  ownKeys: readonly string[];
  /** The previous manifest, already verified with `ownKeys`. */
  previous?: Manifest;
  /** The version to issue when not previous + 1. */
  version?: number;
  /** New builds; with `provenance`, every report must name that commit (and run, repository). */
  outputs?: BuildOutputs;
  provenance?: ExpectedSource;
  /**
   * Targets of `previous` kept without a rebuild (those `keep` accepts,
   * neither rebuilt nor withdrawn), their modules read from `modules` and
   * checked against the signed sha256; absent: nothing is carried.
   */
  carry?: { keep: (target: string) => boolean; modules: ModuleSource; where: string };
  /** A published directory, already verified with `ownKeys`, re-issued as it is. */
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
  /**
   * The repository's rings (.github/livepatch-rings.yml); absent: no ring
   * files. Later rings are read back from the GitHub releases they name,
   * first looking in `local` (a copy of the last release).
   */
  rings?: { file: RingsFile; local?: ModuleSource };
  log: (line: string) => void;
}

export interface PublishedNext {
  manifest: Manifest;
  files: ReleaseFile[];
  release?: PublishResult;
  /** Where the new builds came from (their provenance), when there were any. */
  source?: BuildSource;
  /** Targets carried from `previous`, and targets whose module this version withdraws. */
  carried: string[];
  withdrawn: string[];
}

/** Builds, signs and publishes the next version. */
export async function publishNext(input: PublishNextInput): Promise<PublishedNext> {
  const { signer, now, lifetimeDays, log, previous } = input;
  // provenance: every new report names the commit (and run) the side trusts.
  const source =
    input.outputs && input.provenance
      ? checkProvenance(input.outputs.reports, input.provenance)
      : undefined;
  // withdraw: a target the published tree leaves without a patch loses its module.
  const withdrawn = input.head ? withdrawnTargets(previous, input.head) : [];
  const built = new Set(input.outputs?.reports.map((r) => r.target));
  const { carry } = input;
  const kept =
    (carry &&
      previous?.kernels
        .map((k) => k.target)
        .filter((t) => !built.has(t) && !withdrawn.includes(t) && carry.keep(t))) ??
    [];
  const carried =
    carry && previous ? await carryOver(previous, kept, carry.modules, carry.where) : undefined;
  if (carry) log(`carried over ${kept.join(", ") || "nothing"} from ${carry.where}`);
  if (withdrawn.length > 0) log(`withdrawing the module of ${withdrawn.join(", ")}`);
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
    ...(previous ? { previous } : {}),
    ...(input.outputs ? { outputs: input.outputs } : {}),
    ...(carried ? { carried } : {}),
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
    ...(input.rings
      ? { rings: { file: input.rings.file, source: ringSource(input, input.rings.local) } }
      : {}),
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
  return {
    manifest: prepared.manifest,
    files,
    ...(release ? { release } : {}),
    ...(source ? { source } : {}),
    carried: kept,
    withdrawn,
  };
}

/** Later rings' releases: read back from GitHub, each manifest verified with the own keys. */
function ringSource(input: PublishNextInput, local: ModuleSource | undefined): RingSource {
  if (input.github) return storeRingSource(input.github.store, input.ownKeys, local);
  return {
    release: (n) =>
      Promise.reject(
        new LpctlError(
          "USAGE",
          `${RINGS_PATH} has a ring at release v${n}: later rings are read from the releases they name, so publish with --github (or remove the later rings)`,
        ),
      ),
  };
}
