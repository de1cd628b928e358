/**
 * The manifest this run works from and the keys it was verified with: the
 * stored ones when the source answers 304 (their expiry still holds), else
 * the fetched one after following the key lists to the version it names and
 * verification with those keys and the binding rules (repository, build-id,
 * one version one content, key-list version).
 */
import { createHash } from "node:crypto";
import { isLpctlError, LpctlError } from "../core/errors.js";
import { kernelManifestName, type Manifest } from "../core/manifest.js";
import {
  checkKernelBinding,
  checkRepository,
  checkRing,
  checkSameVersionSameBytes,
} from "../core/verify/check-binding.js";
import { checkKeyVersion } from "../core/verify/key-version.js";
import type { AgentDeps } from "./agent-deps.js";
import { fetchManifest } from "./fetch-manifest.js";
import type { KeyChain, StoredTrust } from "./key-chain.js";
import type { KernelIdentity } from "./kernel-identity.js";
import { selectEntry } from "./select-entry.js";
import type { AgentState } from "./state.js";
import { trace } from "./trace.js";

export type StoredManifest = NonNullable<AgentState["manifest"]>;
/** The keys manifests and modules must be signed by, and how many of them. */
export type KeySet = { keys: string[]; threshold: number };

const sha256Hex = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

/** The bytes of a manifest that passed verification, for a caller that keeps them. */
export type VerifiedFiles = { name: string; body: Uint8Array; signature: Uint8Array };

/**
 * The verified manifest for kernel `id` and the trust, as they are stored in
 * the state; `onVerified` receives its bytes when it was fetched (not on a 304).
 */
export async function currentManifest(
  deps: AgentDeps,
  state: AgentState,
  id: KernelIdentity,
  chain: KeyChain,
  now: Date,
  force: boolean,
  onVerified?: (files: VerifiedFiles) => void,
): Promise<{ manifest: StoredManifest; trust: StoredTrust }> {
  const stored = state.kernel?.buildId === id.buildId ? state.manifest : undefined;
  // Re-pinned keys: the stored copy was verified with others, fetch it whole.
  const fetched = await fetchManifest(deps, id, force || chain.repinned ? undefined : stored);
  trace("manifest-read");
  if (fetched.status === "not-modified" && stored !== undefined) {
    deps.log(`checked ${fetched.name}: 304 not modified (version ${stored.version})`);
    // freeze: the stored manifest is still what the source serves; its expiry holds.
    if (Date.parse(stored.expires) <= now.getTime()) {
      throw new LpctlError(
        "MANIFEST_EXPIRED",
        `manifest version ${stored.version} expired at ${stored.expires} and the source serves no newer one`,
      );
    }
    return { manifest: stored, trust: chain.unchanged() };
  }
  if (fetched.status === "not-modified") {
    throw new LpctlError("FETCH_FAILED", `${fetched.name}: 304 without a stored copy`);
  }
  const verify = async (f: { name: string; body: Uint8Array; signature: Uint8Array }) => {
    // Loaded on demand: the 304 path never needs OpenPGP (agent start time).
    const v = await import("../core/verify/index.js");
    trace("verifier-loaded");
    // The body's `keys` is unverified: it only says which lists to fetch;
    // checkKeyVersion holds the signed value to what was followed.
    const trust = await chain.follow(v.keyVersionHint(f.body));
    trace("key-lists-followed");
    const result = await v.verifyManifest({
      manifest: f.body,
      signature: f.signature,
      keys: trust.keys,
      threshold: trust.threshold,
      now,
      ...(state.manifest === undefined ? {} : { lastVersion: state.manifest.version }),
    });
    const sha256 = sha256Hex(f.body);
    checkBinding(deps, state, id, { name: f.name, sha256 }, result.manifest, trust.version);
    return { ...result, sha256, trust };
  };
  let verified;
  let files: VerifiedFiles = fetched;
  try {
    verified = await verify(fetched);
  } catch (e) {
    if (!isLpctlError(e, "SIGNATURE_INVALID")) throw e;
    // A publish swaps X.json and X.json.asc one after the other; a reader
    // between the two sees a mismatch. Fetch both once more before refusing.
    deps.log(`${fetched.name}: signature does not match; fetching it again once`);
    const again = await fetchManifest(deps, id, undefined);
    if (again.status !== "ok") throw e;
    verified = await verify(again);
    files = again;
  }
  onVerified?.(files);
  const m = verified.manifest;
  deps.log(
    `checked ${fetched.name}: version ${m.version}${verified.unchanged ? " (unchanged)" : ""}, ` +
      `expires ${m.expires}, signed by ${verified.fingerprints.join(", ")}`,
  );
  if (deps.config.kernelIdentity === "release-only") {
    deps.log("warning: kernelIdentity is release-only; a module may target another build");
  }
  const manifest = storedManifestOf(deps, id, m, {
    ...fetched,
    sha256: verified.sha256,
    fingerprints: verified.fingerprints,
  });
  return { manifest, trust: verified.trust };
}

/**
 * The rules that bind a manifest whose bytes are established (signature, or
 * a verification record: verified-copy.ts) to this host and to what it
 * accepted before: repository, ring, build-id, one version one content, and
 * the key-list version it was checked with.
 */
export function checkBinding(
  deps: Pick<AgentDeps, "config">,
  state: AgentState,
  id: KernelIdentity,
  file: { name: string; sha256: string },
  manifest: Manifest,
  trustVersion: number,
): void {
  const { name, sha256 } = file;
  checkRepository(manifest, deps.config.repository, name);
  checkRing(manifest, deps.config.ring, name);
  if (name === kernelManifestName(id.buildId, deps.config.ring)) {
    checkKernelBinding(manifest, id.buildId, name);
  }
  const last = state.manifest?.name === name ? state.manifest : undefined;
  checkSameVersionSameBytes(manifest.version, sha256, last, name);
  checkKeyVersion(manifest, trustVersion, name);
}

/** What the state keeps of an accepted manifest `m`, read from `file`. */
export function storedManifestOf(
  deps: Pick<AgentDeps, "config">,
  id: KernelIdentity,
  m: Manifest,
  file: {
    name: string;
    sha256: string;
    fingerprints: string[];
    etag?: string | undefined;
    lastModified?: string | undefined;
  },
): StoredManifest {
  return {
    name: file.name,
    version: m.version,
    issued: m.issued,
    expires: m.expires,
    repository: m.repository,
    sha256: file.sha256,
    fingerprints: file.fingerprints,
    ...(file.etag === undefined ? {} : { etag: file.etag }),
    ...(file.lastModified === undefined ? {} : { lastModified: file.lastModified }),
    entry: selectEntry(m, id, deps.config.kernelIdentity) ?? null,
  };
}
