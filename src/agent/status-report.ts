/**
 * `lpctl status --json`, schema 1. Stable: fields are only ever added.
 * Documented in docs/operating-hosts.md.
 */
import type { KernelIdentity } from "./kernel-identity.js";
import type { PatchState } from "./livepatch-sysfs.js";
import type { AgentState } from "./state.js";

export interface PatchInfo {
  id: string;
  title: string;
  cves: string[];
}

export type PatchStateName =
  "applied" | "nothing-to-apply" | "not-applied" | "opted-out" | "not-covered" | "never-checked";

export interface StatusReport {
  schema: 1;
  kernel: { release: string; buildId: string; arch: string };
  patchState: PatchStateName;
  manifest: {
    name: string;
    version: number;
    repository: string;
    issued: string;
    expires: string;
    ageSeconds: number;
    expired: boolean;
    signedBy: string[];
  } | null;
  module: {
    name: string;
    file: string;
    sha256: string;
    loaded: boolean;
    enabled: boolean;
    transition: boolean;
  } | null;
  /** The keys trusted now: `version` 0 = the pinned keys, N = key list keys-<N>.json. */
  keyList: { version: number; threshold: number; keys: number; expires: string | null } | null;
  applied: PatchInfo[];
  cves: string[];
  pending: (PatchInfo & { reason: string })[];
  optOut: { at: string } | null;
  lastCheck: string | null;
  lastSuccess: string | null;
  lastError: { code: string; message: string; at: string } | null;
}

export interface LiveModule {
  loaded: boolean;
  patch: PatchState | undefined;
}

function pendingReason(state: AgentState, live: boolean): string {
  if (state.optOut !== undefined)
    return `reverted at ${state.optOut.at} (lpctl revert); run lpctl sync --force`;
  if (state.lastError !== undefined)
    return `last sync failed: ${state.lastError.code}: ${state.lastError.message}`;
  if (!live) return "module not loaded (reboot or unloaded); run lpctl sync";
  return "not applied yet; run lpctl sync";
}

/** The report from state, identity and the live sysfs view of the applied module, at `now`. */
export function buildStatusReport(
  state: AgentState,
  id: KernelIdentity,
  live: LiveModule | undefined,
  now: Date,
): StatusReport {
  const sameKernel = state.kernel?.buildId === id.buildId;
  const manifest = sameKernel ? state.manifest : undefined;
  const applied = sameKernel ? state.applied : undefined;
  const isLive = live?.patch?.enabled === true && !live.patch.transition;
  const appliedPatches = isLive && applied !== undefined ? applied.patches : [];
  const appliedIds = new Set(appliedPatches.map((p) => p.id));
  const wanted = manifest?.entry?.patches ?? [];
  const pending = wanted
    .filter((p) => !appliedIds.has(p.id))
    .map((p) => ({ id: p.id, title: p.title, cves: p.cves, reason: pendingReason(state, isLive) }));
  let patchState: PatchStateName = "never-checked";
  if (state.optOut !== undefined) patchState = "opted-out";
  else if (manifest?.entry === null) patchState = "nothing-to-apply";
  else if (isLive && pending.length === 0) patchState = "applied";
  else if (manifest !== undefined || applied !== undefined) patchState = "not-applied";
  else if (state.lastError?.code === "KERNEL_NOT_COVERED") patchState = "not-covered";
  return {
    schema: 1,
    kernel: { release: id.release, buildId: id.buildId, arch: id.arch },
    patchState,
    manifest:
      manifest === undefined
        ? null
        : {
            name: manifest.name,
            version: manifest.version,
            repository: manifest.repository,
            issued: manifest.issued,
            expires: manifest.expires,
            ageSeconds: Math.max(
              0,
              Math.round((now.getTime() - Date.parse(manifest.issued)) / 1000),
            ),
            expired: Date.parse(manifest.expires) <= now.getTime(),
            signedBy: manifest.fingerprints,
          },
    module:
      applied === undefined
        ? null
        : {
            name: applied.name,
            file: applied.file,
            sha256: applied.sha256,
            loaded: live?.loaded ?? false,
            enabled: live?.patch?.enabled ?? false,
            transition: live?.patch?.transition ?? false,
          },
    keyList:
      state.trust === undefined
        ? null
        : {
            version: state.trust.version,
            threshold: state.trust.threshold,
            keys: state.trust.keys.length,
            expires: state.trust.expires ?? null,
          },
    applied: appliedPatches,
    cves: [...new Set(appliedPatches.flatMap((p) => p.cves))].sort(),
    pending,
    optOut: state.optOut ?? null,
    lastCheck: state.lastCheck ?? null,
    lastSuccess: state.lastSuccess ?? null,
    lastError: state.lastError ?? null,
  };
}
