/**
 * `lpctl status --json`, schema 2 (docs/operating-hosts.md). Schema 1 mixed
 * the check with the patch state; 2 separates them. From here on fields are
 * only ever added.
 */
import { ERROR_CATEGORIES, type ErrorCode } from "../core/errors.js";
import type { NotLivePatchable } from "../core/not-live-patchable.js";
import type { TargetImage } from "../core/target.js";
import type { KernelIdentity } from "./kernel-identity.js";
import type { PatchState } from "./livepatch-sysfs.js";
import {
  patchStateOf,
  pendingPatches,
  type PatchInfo,
  type PatchStateName,
  type PendingPatch,
} from "./patch-state.js";
import { EMPTY_PREPARED, type PreparedKernel, type PreparedState } from "./prepared-state.js";
import type { AgentState } from "./state.js";

export type { PatchInfo, PatchStateName, PendingPatch } from "./patch-state.js";

/** ok: the last sync succeeded; failed: it did not; refused: on security grounds. */
export type CheckResult = "never" | "ok" | "failed" | "refused";

/** What `status` concludes; the CLI turns it into the exit code. */
export type StatusVerdict = "ok" | "failing" | "refused" | "not-covered";

export interface StatusReport {
  schema: 2;
  /** `image`: the distribution package this build ships in, from its manifest entry. */
  kernel: { release: string; buildId: string; arch: string; image?: TargetImage };
  /** The last check (sync): when, how it ended, its error. */
  check: {
    result: CheckResult;
    at: string | null;
    lastSuccess: string | null;
    error: { code: string; message: string; at: string } | null;
  };
  patchState: PatchStateName;
  /** The last apply attempt that failed, for the current manifest version. */
  applyError: { module: string; code: string; message: string; at: string } | null;
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
  /**
   * Until when this kernel is covered without a newer manifest: the
   * manifest's expiry. After it sync refuses the manifest.
   */
  coveredUntil: string | null;
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
  /** Every patch of this kernel's manifest entry that is not live, with the reason. */
  pending: PendingPatch[];
  /** CVEs of the pending patches: what this host is exposed to. */
  exposed: string[];
  /** CVEs of this kernel no live patch fixes (the manifest entry's records): reboot into `fixedIn`. */
  notLivePatchable: NotLivePatchable[];
  /** Patches withdrawn from this kernel's module, with why and the manifest version that did it. */
  withdrawn: Array<PatchInfo & { reason: string; version: number }>;
  /** The module this agent unloaded because its patches were all withdrawn. */
  withdrawal: { module: string; version: number; at: string } | null;
  optOut: { at: string } | null;
  /** Installed kernels other than this one and whether their patches wait for their boot. */
  prepared: PreparedReport[];
  verdict: StatusVerdict;
}

export interface PreparedReport {
  release: string;
  buildId: string | null;
  result: PreparedKernel["result"];
  at: string;
  manifestVersion: number | null;
  module: string | null;
  error: { code: string; message: string } | null;
}

const preparedReport = (k: PreparedKernel): PreparedReport => ({
  release: k.release,
  buildId: k.buildId,
  result: k.result,
  at: k.at,
  manifestVersion: k.manifest?.version ?? null,
  module: k.manifest?.entry?.module?.name ?? null,
  error: k.error ?? null,
});

export interface LiveModule {
  loaded: boolean;
  patch: PatchState | undefined;
}

function checkOf(state: AgentState): StatusReport["check"] {
  const error = state.lastError ?? null;
  const security = error !== null && ERROR_CATEGORIES[error.code as ErrorCode] === "security";
  return {
    result:
      state.lastCheck === undefined
        ? "never"
        : error === null
          ? "ok"
          : security
            ? "refused"
            : "failed",
    at: state.lastCheck ?? null,
    lastSuccess: state.lastSuccess ?? null,
    error,
  };
}

/** The host is as the manifest asks only with every patch live (or none wanted) and a good check. */
function verdictOf(r: Omit<StatusReport, "verdict">): StatusVerdict {
  if (r.check.result === "refused") return "refused";
  if (r.patchState === "not-covered") return "not-covered";
  const settled =
    r.patchState === "applied" ||
    r.patchState === "nothing-to-apply" ||
    r.patchState === "withdrawn";
  return settled && r.check.result === "ok" && r.manifest?.expired === false ? "ok" : "failing";
}

const uniqueSorted = (xs: string[]): string[] => [...new Set(xs)].sort();

/** The report from state, identity and the live sysfs view of the applied module, at `now`. */
export function buildStatusReport(
  state: AgentState,
  id: KernelIdentity,
  live: LiveModule | undefined,
  now: Date,
  prepared: PreparedState = EMPTY_PREPARED,
): StatusReport {
  const sameKernel = state.kernel?.buildId === id.buildId;
  const manifest = sameKernel ? state.manifest : undefined;
  const applied = sameKernel ? state.applied : undefined;
  const isLive = live?.patch?.enabled === true && !live.patch.transition;
  const view = { state, manifest, applied, live: isLive, moduleLoaded: live?.loaded === true };
  const pending = pendingPatches(view);
  const patchState = patchStateOf(view, pending);
  const appliedPatches = isLive && applied !== undefined ? applied.patches : [];
  const failed = state.failedApply;
  const report: Omit<StatusReport, "verdict"> = {
    schema: 2,
    kernel: {
      release: id.release,
      buildId: id.buildId,
      arch: id.arch,
      ...(manifest?.entry?.image ? { image: manifest.entry.image } : {}),
    },
    check: checkOf(state),
    patchState,
    applyError:
      patchState === "apply-failed" && failed !== undefined
        ? { module: failed.name, code: failed.code, message: failed.message, at: failed.at }
        : null,
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
    coveredUntil: manifest?.entry ? manifest.expires : null,
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
    cves: uniqueSorted(appliedPatches.flatMap((p) => p.cves)),
    pending,
    exposed: uniqueSorted(pending.flatMap((p) => p.cves)),
    notLivePatchable: manifest?.entry?.notLivePatchable ?? [],
    withdrawn: (manifest?.entry?.withdrawn ?? []).map((w) => ({ ...w, cves: [...w.cves] })),
    withdrawal:
      sameKernel && state.withdrawal
        ? {
            module: state.withdrawal.name,
            version: state.withdrawal.version,
            at: state.withdrawal.at,
          }
        : null,
    optOut: state.optOut ?? null,
    // After a reboot into a prepared kernel it is the running one, not the next boot.
    prepared: prepared.kernels.filter((k) => k.buildId !== id.buildId).map(preparedReport),
  };
  return { ...report, verdict: verdictOf(report) };
}
