/**
 * One sync, without the lock and the state write (sync.ts adds both):
 * identity → manifest (conditional) → verify → select → module → load →
 * retire the previous module. Returns the state to persist.
 */
import { isLpctlError, LpctlError } from "../core/errors.js";
import type { ManifestKernel } from "../core/manifest.js";
import type { AgentDeps } from "./agent-deps.js";
import { fetchManifest } from "./fetch-manifest.js";
import { readKernelIdentity } from "./kernel-identity.js";
import { obtainModule } from "./obtain-module.js";
import { readPinnedKeys } from "./read-keys.js";
import { retirePrevious } from "./retire-previous.js";
import { describeEntry, selectEntry } from "./select-entry.js";
import type { AgentState } from "./state.js";
import { disableAndUnload, loadAndEnable, type TransitionDeps } from "./transition.js";

export type SyncOutcome = "opted-out" | "nothing-to-apply" | "already-applied" | "applied";

export interface SyncResult {
  outcome: SyncOutcome;
  state: AgentState;
}

type StoredManifest = NonNullable<AgentState["manifest"]>;

async function currentManifest(
  deps: AgentDeps,
  state: AgentState,
  id: Awaited<ReturnType<typeof readKernelIdentity>>,
  keys: string[],
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
  const verify = async (f: { body: Uint8Array; signature: Uint8Array }) => {
    // Loaded on demand: the 304 path never needs OpenPGP (agent start time).
    const { verifyManifest } = await import("../core/verify/index.js");
    return verifyManifest({
      manifest: f.body,
      signature: f.signature,
      keys,
      threshold: deps.config.threshold,
      now,
      ...(state.manifest === undefined ? {} : { lastVersion: state.manifest.version }),
    });
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
    fingerprints: verified.fingerprints,
    ...(fetched.etag === undefined ? {} : { etag: fetched.etag }),
    ...(fetched.lastModified === undefined ? {} : { lastModified: fetched.lastModified }),
    entry: selectEntry(m, id, deps.config.kernelIdentity) ?? null,
  };
}

async function ensureApplied(
  deps: AgentDeps,
  tdeps: TransitionDeps,
  entry: ManifestKernel,
  keys: string[],
  now: Date,
): Promise<"already-applied" | "applied"> {
  const name = entry.module.name;
  const live = await deps.sysfs.patch(name);
  if (live?.enabled === true && !live.transition) {
    deps.log(`${name} already applied (${describeEntry(entry)})`);
    return "already-applied";
  }
  // A half-done earlier attempt (disabled or mid-transition): start clean.
  if (live !== undefined || (await deps.sysfs.moduleLoaded(name))) {
    await disableAndUnload(name, tdeps);
  }
  const file = await obtainModule(deps, entry, keys, now);
  await loadAndEnable(file, name, tdeps);
  deps.log(`applied ${name} (${describeEntry(entry)})`);
  return "applied";
}

/** Runs the sync steps at reference time `now`; throws LpctlError. */
export async function syncSteps(
  deps: AgentDeps,
  state: AgentState,
  now: Date,
  force: boolean,
): Promise<SyncResult> {
  if (state.optOut !== undefined && !force) {
    deps.log(
      `live patching was reverted at ${state.optOut.at} (lpctl revert); run lpctl sync --force`,
    );
    return { outcome: "opted-out", state };
  }
  const id = await readKernelIdentity(deps.root, deps.arch);
  const keys = await readPinnedKeys(deps);
  const manifest = await currentManifest(deps, state, id, keys, now, force);
  const base: AgentState = {
    ...state,
    kernel: { release: id.release, buildId: id.buildId },
    manifest,
  };
  delete base.optOut;
  const entry = manifest.entry;
  if (entry === null) {
    deps.log(
      `nothing to apply: manifest version ${manifest.version} has no module for this kernel`,
    );
    return { outcome: "nothing-to-apply", state: base };
  }
  const tdeps: TransitionDeps = {
    ...deps,
    timeout: deps.config.transitionTimeout,
    signalAfter: deps.config.signalAfter,
  };
  const outcome = await ensureApplied(deps, tdeps, entry, keys, now);
  const previous = state.kernel?.buildId === id.buildId ? state.applied : undefined;
  await retirePrevious(deps, tdeps, previous, entry.module);
  const applied = {
    name: entry.module.name,
    file: entry.module.file,
    sha256: entry.module.sha256,
    version: manifest.version,
    patches: entry.patches.map((p) => ({ id: p.id, title: p.title, cves: p.cves })),
    appliedAt:
      outcome === "already-applied" && state.applied?.name === entry.module.name
        ? state.applied.appliedAt
        : now.toISOString(),
  };
  return { outcome, state: { ...base, applied } };
}
