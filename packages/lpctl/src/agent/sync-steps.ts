/**
 * One sync, without the lock and the state write (sync.ts adds both):
 * identity → manifest (conditional; on a change, the key lists it names,
 * then verified: current-manifest.ts)
 * → select → module (identity-checked) → load →
 * retire the previous module. Returns the state to persist.
 */
import { LpctlError } from "../core/errors.js";
import { hasModule, type ModuleEntry } from "../core/manifest.js";
import type { AgentDeps } from "./agent-deps.js";
import { currentManifest } from "./current-manifest.js";
import { readKernelIdentity } from "./kernel-identity.js";
import { loadedDigest, recordLoading } from "./loaded-record.js";
import { obtainModule } from "./obtain-module.js";
import { keyChain } from "./key-chain.js";
import { readPinnedKeys } from "./read-keys.js";
import { retirePrevious } from "./retire-previous.js";
import { describeEntry } from "./select-entry.js";
import type { AgentState } from "./state.js";
import { disableAndUnload, loadAndEnable, type TransitionDeps } from "./transition.js";
import { checkVerifiedCopy, type ModuleTrust } from "./verified-copy.js";
import { withdrawModule } from "./withdraw-module.js";
import { trace } from "./trace.js";

export type SyncOutcome =
  "opted-out" | "nothing-to-apply" | "already-applied" | "applied" | "withdrawn";

export interface SyncResult {
  outcome: SyncOutcome;
  state: AgentState;
}

/**
 * How far a run got, for the state a failure records: a manifest verified
 * before the apply failed is kept (it is what the host should run), so
 * status can list what is not live.
 */
export interface SyncProgress {
  /** The state after the manifest was verified. */
  verified?: AgentState;
  /** The module being obtained, loaded and transitioned. */
  applying?: string;
}

/**
 * Loads `entry`'s module unless it is live already. "Already live" means the
 * same name AND the sha256 this agent recorded when it loaded it: a name
 * reused for other bytes must not pass for the module the manifest names.
 * Returns the sha256 of what is actually loaded.
 */
async function ensureApplied(
  deps: AgentDeps,
  tdeps: TransitionDeps,
  entry: ModuleEntry,
  applied: AgentState["applied"],
  trust: ModuleTrust,
  now: Date,
): Promise<{ outcome: "already-applied" | "applied"; sha256: string }> {
  const name = entry.module.name;
  const live = await deps.sysfs.patch(name);
  if (live?.enabled === true && !live.transition) {
    // Hosts that loaded before the record existed only have the state's word.
    const loaded =
      (await loadedDigest(deps, name)) ?? (applied?.name === name ? applied.sha256 : undefined);
    if (loaded === entry.module.sha256) {
      deps.log(`${name} already applied (${describeEntry(entry)})`);
      return { outcome: "already-applied", sha256: loaded };
    }
    throw new LpctlError(
      "MODULE_NAME_REUSED",
      `${name} is live, but it is not the module the manifest names (loaded: ${loaded === undefined ? "unknown to this agent" : `sha256 ${loaded}`}; manifest: sha256 ${entry.module.sha256}); a module name must never be reused for other content: publish it under a new name, or lpctl revert first`,
      { details: { name, manifest: entry.module.sha256, loaded } },
    );
  }
  // A half-done earlier attempt (disabled or mid-transition): start clean.
  if (live !== undefined || (await deps.sysfs.moduleLoaded(name))) {
    await disableAndUnload(name, tdeps);
  }
  const module = await obtainModule(deps, entry, trust, now);
  trace("module-verified");
  await recordLoading(deps, name, module.sha256);
  trace("loading-recorded");
  await loadAndEnable(module.file, name, tdeps);
  deps.log(`applied ${name} (${describeEntry(entry)})`);
  return { outcome: "applied", sha256: module.sha256 };
}

/** Runs the sync steps at reference time `now`; throws LpctlError. */
export async function syncSteps(
  deps: AgentDeps,
  state: AgentState,
  now: Date,
  force: boolean,
  progress: SyncProgress = {},
): Promise<SyncResult> {
  if (state.optOut !== undefined && !force) {
    deps.log(
      `live patching was reverted at ${state.optOut.at} (lpctl revert); run lpctl sync --force`,
    );
    return { outcome: "opted-out", state };
  }
  const id = await readKernelIdentity(deps.root, deps.arch);
  trace("kernel-identity");
  const pinned = await readPinnedKeys(deps);
  trace("pinned-keys");
  // At boot: the stored copy's record stands for its signatures (verified-copy.ts).
  const copy =
    deps.storedCopy === undefined
      ? undefined
      : await checkVerifiedCopy(deps, deps.storedCopy, state, id, pinned, now);
  const { manifest, trust } =
    copy ??
    (await currentManifest(deps, state, id, keyChain(deps, state.trust, pinned, now), now, force));
  const base: AgentState = {
    ...state,
    kernel: { release: id.release, buildId: id.buildId },
    manifest,
    trust,
  };
  delete base.optOut;
  // Another kernel's module is not on this one (a reboot into a new kernel).
  if (state.kernel?.buildId !== id.buildId) delete base.applied;
  trace("manifest-verified");
  progress.verified = base;
  const entry = manifest.entry;
  const tdeps: TransitionDeps = {
    ...deps,
    timeout: deps.config.transitionTimeout,
    signalAfter: deps.config.signalAfter,
  };
  const live = state.kernel?.buildId === id.buildId ? state.applied : undefined;
  if (entry !== null && !hasModule(entry) && live !== undefined) {
    const next = await withdrawModule(deps, tdeps, base, live, entry, manifest.version, now);
    return { outcome: "withdrawn", state: next };
  }
  if (entry === null || !hasModule(entry)) {
    deps.log(
      `nothing to apply: manifest version ${manifest.version} has no module for this kernel`,
    );
    const next: AgentState = { ...base };
    delete next.failedApply;
    return { outcome: "nothing-to-apply", state: next };
  }
  progress.applying = entry.module.name;
  const moduleTrust = copy?.moduleTrust ?? trust;
  const { outcome, sha256 } = await ensureApplied(deps, tdeps, entry, live, moduleTrust, now);
  const applied = {
    name: entry.module.name,
    file: entry.module.file,
    // what was loaded, not what the manifest says: status must show the truth.
    sha256,
    version: manifest.version,
    patches: entry.patches.map((p) => ({ id: p.id, title: p.title, cves: p.cves })),
    appliedAt:
      outcome === "already-applied" && state.applied?.name === entry.module.name
        ? state.applied.appliedAt
        : now.toISOString(),
  };
  const next: AgentState = { ...base, applied };
  delete next.failedApply;
  delete next.withdrawal;
  // Applied: a failure while retiring the previous module must not hide that.
  progress.verified = next;
  delete progress.applying;
  await retirePrevious(deps, tdeps, live, entry.module);
  trace("previous-retired");
  return { outcome, state: next };
}
