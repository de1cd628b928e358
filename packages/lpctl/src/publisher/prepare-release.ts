/** Builds and signs the next version's manifest and files: new builds, or a refresh of the current content. */
import { LpctlError } from "../core/errors.js";
import { nextManifest, refreshManifest, type PatchInfo } from "../core/manifest-build.js";
import type { Manifest } from "../core/manifest.js";
import type { NotLivePatchable } from "../core/not-live-patchable.js";
import type { PlanTree } from "../core/plan-tree.js";
import type { Signer } from "../core/sign/signer.js";
import type { Carried } from "./carry-over.js";
import type { BuildOutputs } from "./read-build-outputs.js";
import type { PublishedDir } from "./read-published.js";
import { releaseFiles, type ReleaseFile } from "./release-files.js";
import { ringReleases, type RingsInput } from "./ring-releases.js";

export interface PrepareInput {
  previous?: Manifest;
  /** New builds; or `refresh` to re-issue what is published. */
  outputs?: BuildOutputs;
  /** Targets kept from the previous signed manifest, with their module bytes. */
  carried?: Carried;
  refresh?: PublishedDir;
  /** The version to issue when not previous + 1 (a tag someone else holds was skipped). */
  version?: number;
  patches: Readonly<Record<string, PatchInfo>>;
  /** Not-live-patchable records by target (cve-records.ts recordsByTarget). */
  records?: Readonly<Record<string, readonly NotLivePatchable[]>>;
  /** The published commit's tree (withdrawals). */
  head?: PlanTree;
  repository?: string;
  now: Date;
  lifetimeDays?: number;
  signer: Signer;
  /** The key-list version the signer belongs to (0: the hosts' pinned keys); a refresh takes the current one. */
  keys?: number;
  /** issued/expires of a half-published version being resumed. */
  window?: { issued: string; expires: string };
  /** The repository's rings: each gets its own manifests in this release. */
  rings?: RingsInput;
}

export interface PreparedRelease {
  manifest: Manifest;
  files: ReleaseFile[];
}

/** The manifest for the next version and every signed file, in publishing order. */
export async function prepareRelease(input: PrepareInput): Promise<PreparedRelease> {
  let manifest: Manifest;
  let modules: ReadonlyMap<string, Uint8Array>;
  let reports: ReadonlyMap<string, Uint8Array>;
  if (input.refresh) {
    const base =
      input.previous && input.previous.version > input.refresh.manifest.version
        ? input.previous
        : input.refresh.manifest;
    manifest = refreshManifest(base, input.now, input.lifetimeDays, input.version);
    ({ modules, reportBytes: reports } = input.refresh);
  } else if (input.outputs || input.carried) {
    if (!input.repository) throw new LpctlError("USAGE", "--repository OWNER/REPO is required");
    manifest = nextManifest({
      ...input,
      reports: input.outputs?.reports ?? [],
      carried: input.carried?.entries ?? [],
      repository: input.repository,
    });
    modules = new Map([...(input.outputs?.modules ?? []), ...(input.carried?.modules ?? [])]);
    reports = input.outputs?.reportBytes ?? new Map<string, Uint8Array>();
  } else {
    throw new LpctlError("USAGE", "nothing to publish: pass --reports DIR... or --refresh");
  }
  if (input.window) manifest = { ...manifest, ...input.window };
  manifest = { ...manifest, keys: input.keys ?? 0 };
  const files = await releaseFiles({
    manifest,
    modules,
    reports,
    signer: input.signer,
    now: input.now,
    ...(input.rings ? { rings: await ringReleases(manifest, input.rings, input.head) } : {}),
  });
  return { manifest, files };
}
