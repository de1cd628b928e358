/**
 * Publishes one version to a ReleaseStore, idempotently: a re-run after a
 * crash uploads only what is missing, replaces failed (`starter`) uploads,
 * and refuses to change an asset that already has different content.
 */
import { LpctlError } from "../core/errors.js";
import type { Release, ReleaseAsset, ReleaseStore } from "./release-store.js";
import { sha256Hex, type ReleaseFile } from "./release-files.js";

export interface PublishInput {
  store: ReleaseStore;
  version: number;
  /** Defaults to v<version>. */
  tag?: string;
  commit: string;
  files: readonly ReleaseFile[];
  log?: (line: string) => void;
}

export interface PublishResult {
  release: Release;
  uploaded: string[];
  skipped: string[];
  replaced: string[];
}

/** Creates or reuses release v<version>, uploads `files` in order, then marks it latest. */
export async function publishRelease(input: PublishInput): Promise<PublishResult> {
  const { store } = input;
  const log = input.log ?? (() => undefined);
  const tag = input.tag ?? `v${input.version}`;
  let release = await store.getReleaseByTag(tag);
  if (release !== undefined && release.commit !== input.commit) {
    throw new LpctlError(
      "RELEASE_CONFLICT",
      `release ${tag} exists for commit ${release.commit}, not ${input.commit}; a version is published from one commit only — publish a new version`,
    );
  }
  release ??= await store.createRelease({
    tag,
    commit: input.commit,
    name: `Live patches ${tag}`,
    body: `Signed live patch modules and manifest version ${input.version}.`,
  });
  const existing = new Map((await store.listAssets(release)).map((a) => [a.name, a]));
  // Decide everything before changing anything, so a conflict changes nothing.
  const plan = await Promise.all(
    input.files.map((f) => decide(store, release, f, existing.get(f.name))),
  );
  const conflicts = plan.filter((p) => p.action === "conflict").map((p) => p.file.name);
  if (conflicts.length > 0) {
    throw new LpctlError(
      "RELEASE_CONFLICT",
      `release ${tag} already has different content for ${conflicts.join(", ")}; a published version is immutable — publish a new version instead`,
      { details: { conflicts } },
    );
  }
  const result: PublishResult = { release, uploaded: [], skipped: [], replaced: [] };
  for (const { file, action, asset } of plan) {
    if (action === "skip") {
      result.skipped.push(file.name);
      continue;
    }
    if (action === "replace" && asset) await store.deleteAsset(release, asset);
    await store.uploadAsset(release, file.name, file.bytes, file.contentType);
    (action === "replace" ? result.replaced : result.uploaded).push(file.name);
    log(
      `${action === "replace" ? "re-uploaded" : "uploaded"} ${file.name} (${file.bytes.length} bytes)`,
    );
  }
  await store.markLatest(release);
  log(
    `release ${tag}: ${result.uploaded.length} uploaded, ${result.replaced.length} re-uploaded, ${result.skipped.length} already there; marked latest`,
  );
  return result;
}

type Action = "upload" | "skip" | "replace" | "conflict";

async function decide(
  store: ReleaseStore,
  release: Release,
  file: ReleaseFile,
  asset: ReleaseAsset | undefined,
): Promise<{ file: ReleaseFile; action: Action; asset?: ReleaseAsset }> {
  if (asset === undefined) return { file, action: "upload" };
  // A failed upload leaves a `starter` asset: it has no content to protect.
  if (asset.state !== "uploaded") return { file, action: "replace", asset };
  const same = await sameContent(store, release, asset, file);
  return { file, action: same ? "skip" : "conflict", asset };
}

/** Same size and sha256 (the server's digest, or downloaded), or accepted as equivalent (signatures). */
async function sameContent(
  store: ReleaseStore,
  release: Release,
  asset: ReleaseAsset,
  file: ReleaseFile,
): Promise<boolean> {
  const want = sha256Hex(file.bytes);
  if (file.accepts === undefined) {
    if (asset.size !== file.bytes.length) return false;
    if (asset.digest?.startsWith("sha256:")) return asset.digest === `sha256:${want}`;
  } else if (asset.digest === `sha256:${want}`) {
    return true;
  }
  const existing = await store.downloadAsset(release, asset);
  if (existing.length === file.bytes.length && sha256Hex(existing) === want) return true;
  return file.accepts !== undefined && (await file.accepts(existing));
}
