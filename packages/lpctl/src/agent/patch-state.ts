/**
 * The patch state of a host, kept apart from the check state: a failed
 * check says nothing about what is live, and a host whose apply failed is
 * exposed to every CVE its manifest entry lists, so each one is named.
 */
import type { AgentState } from "./state.js";

export type PatchStateName =
  /** Every patch of this kernel's manifest entry is live. */
  | "applied"
  /** The last attempt to apply the manifest's module failed. */
  | "apply-failed"
  /** The manifest's module is not (or no longer) live: a reboot, an rmmod. */
  | "not-applied"
  /** `lpctl revert` turned live patching off until `sync --force`. */
  | "reverted"
  /** The accepted manifest has no module for this kernel. */
  | "nothing-to-apply"
  /** Every patch of this kernel was withdrawn and no module of this agent is live. */
  | "withdrawn"
  /** The source publishes no manifest for this kernel. */
  | "not-covered"
  /** No manifest accepted for this kernel yet: exposure unknown. */
  | "unknown";

export interface PatchInfo {
  id: string;
  title: string;
  cves: string[];
}

export interface PendingPatch extends PatchInfo {
  reason: string;
}

/** What the live module and the stored state say about this kernel. */
export interface PatchView {
  state: AgentState;
  /** The state's manifest, when it is for this kernel. */
  manifest: AgentState["manifest"];
  /** The state's applied module, when it is for this kernel. */
  applied: AgentState["applied"];
  /** The applied module is loaded, enabled and out of its transition. */
  live: boolean;
  moduleLoaded: boolean;
}

function reasonFor(v: PatchView): string {
  const { state } = v;
  if (state.optOut !== undefined)
    return `reverted at ${state.optOut.at} (lpctl revert); run lpctl sync --force`;
  const failed = failedApplyOf(v);
  if (failed !== undefined)
    return `applying ${failed.name} failed at ${failed.at}: ${failed.code}: ${failed.message}`;
  if (v.applied === undefined) {
    return state.lastError === undefined
      ? "not applied yet; run lpctl sync"
      : `last sync failed: ${state.lastError.code}: ${state.lastError.message}`;
  }
  if (!v.live) {
    return v.moduleLoaded
      ? `${v.applied.name} is loaded but not enabled or still in transition; run lpctl sync`
      : `${v.applied.name} is not loaded (reboot or rmmod); run lpctl sync`;
  }
  return `not in the live module ${v.applied.name}; run lpctl sync`;
}

/** The recorded apply failure, if it concerns the stored manifest version. */
function failedApplyOf(v: PatchView) {
  const f = v.state.failedApply;
  return f !== undefined && f.manifestVersion === v.manifest?.version ? f : undefined;
}

/** Every patch of the manifest entry that is not live, with the reason. */
export function pendingPatches(v: PatchView): PendingPatch[] {
  const liveIds = new Set(
    v.live && v.applied !== undefined ? v.applied.patches.map((p) => p.id) : [],
  );
  const wanted = v.manifest?.entry?.patches ?? [];
  const reason = reasonFor(v);
  return wanted
    .filter((p) => !liveIds.has(p.id))
    .map((p) => ({ id: p.id, title: p.title, cves: p.cves, reason }));
}

/** The patch state, from the view and its pending list. */
export function patchStateOf(v: PatchView, pending: readonly PendingPatch[]): PatchStateName {
  if (v.state.optOut !== undefined) return "reverted";
  if (v.state.lastError?.code === "KERNEL_NOT_COVERED") return "not-covered";
  if (v.manifest === undefined) return "unknown";
  if (v.manifest.entry === null) return "nothing-to-apply";
  // withdraw: settled only once the module this agent ran is gone.
  if (v.manifest.entry.module === undefined)
    return v.applied === undefined ? "withdrawn" : "not-applied";
  if (pending.length === 0 && v.live) return "applied";
  if (failedApplyOf(v) !== undefined) return "apply-failed";
  return "not-applied";
}
