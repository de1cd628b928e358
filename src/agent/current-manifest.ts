/**
 * The manifest this run works from: the stored one when the source answers
 * 304 (its expiry still holds), else the fetched one after verification with
 * the trusted keys and the binding rules (repository, build-id, one version
 * one content).
 */
import { createHash } from "node:crypto";
import { isLpctlError, LpctlError } from "../core/errors.js";
import { kernelManifestName } from "../core/manifest.js";
import type { AgentDeps } from "./agent-deps.js";
import { fetchManifest } from "./fetch-manifest.js";
import type { KernelIdentity } from "./kernel-identity.js";
import { selectEntry } from "./select-entry.js";
import type { AgentState } from "./state.js";

export type StoredManifest = NonNullable<AgentState["manifest"]>;
/** The keys manifests and modules must be signed by, and how many of them. */
export type KeySet = { keys: string[]; threshold: number };

const sha256Hex = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

/** The verified manifest for kernel `id`, as it is stored in the state. */
export async function currentManifest(
  deps: AgentDeps,
  state: AgentState,
  id: KernelIdentity,
  trust: KeySet,
  now: Date,
  force: boolean,
): Promise<StoredManifest> {
  const stored = state.kernel?.buildId === id.buildId ? state.manifest : undefined;
  const fetched = await fetchManifest(deps, id, force ? undefined : stored);
  if (fetched.status === "not-modified" && stored !== undefined) {
    deps.log(`checked ${fetched.name}: 304 not modified (version ${stored.version})`);
    // freeze: the stored manifest is still what the source serves; its expiry holds.
    if (Date.parse(stored.expires) <= now.getTime()) {
      throw new LpctlError(
        "MANIFEST_EXPIRED",
        `manifest version ${stored.version} expired at ${stored.expires} and the source serves no newer one`,
      );
    }
    return stored;
  }
  if (fetched.status === "not-modified") {
    throw new LpctlError("FETCH_FAILED", `${fetched.name}: 304 without a stored copy`);
  }
  const verify = async (f: { name: string; body: Uint8Array; signature: Uint8Array }) => {
    // Loaded on demand: the 304 path never needs OpenPGP (agent start time).
    const v = await import("../core/verify/index.js");
    const result = await v.verifyManifest({
      manifest: f.body,
      signature: f.signature,
      keys: trust.keys,
      threshold: trust.threshold,
      now,
      ...(state.manifest === undefined ? {} : { lastVersion: state.manifest.version }),
    });
    v.checkRepository(result.manifest, deps.config.repository, f.name);
    v.checkRing(result.manifest, deps.config.ring, f.name);
    if (f.name === kernelManifestName(id.buildId, deps.config.ring)) {
      v.checkKernelBinding(result.manifest, id.buildId, f.name);
    }
    const sha256 = sha256Hex(f.body);
    const last = state.manifest?.name === f.name ? state.manifest : undefined;
    v.checkSameVersionSameBytes(result.manifest.version, sha256, last, f.name);
    return { ...result, sha256 };
  };
  let verified;
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
  }
  const m = verified.manifest;
  deps.log(
    `checked ${fetched.name}: version ${m.version}${verified.unchanged ? " (unchanged)" : ""}, ` +
      `expires ${m.expires}, signed by ${verified.fingerprints.join(", ")}`,
  );
  if (deps.config.kernelIdentity === "release-only") {
    deps.log("warning: kernelIdentity is release-only; a module may target another build");
  }
  return {
    name: fetched.name,
    version: m.version,
    issued: m.issued,
    expires: m.expires,
    repository: m.repository,
    sha256: verified.sha256,
    fingerprints: verified.fingerprints,
    ...(fetched.etag === undefined ? {} : { etag: fetched.etag }),
    ...(fetched.lastModified === undefined ? {} : { lastModified: fetched.lastModified }),
    entry: selectEntry(m, id, deps.config.kernelIdentity) ?? null,
  };
}
