/**
 * Builds the next manifest from successful build reports: content in,
 * content out. The publisher signs what this returns.
 */
import type { BuildReport } from "./build-report.js";
import { LpctlError } from "./errors.js";
import {
  ManifestSchema,
  type Manifest,
  type ManifestKernel,
  type ManifestPatch,
} from "./manifest.js";
import { checkNamesKeepContent } from "./module-identity.js";
import type { NotLivePatchable } from "./not-live-patchable.js";
import { unpatchedTargets } from "./plan.js";
import type { PlanTree } from "./plan-tree.js";
import { moduleless, withWithdrawn } from "./withdrawn.js";
import { fieldPath } from "./schema-issues.js";

/** What the manifest says about a patch, from patches/<id>/patch.yaml and the merge. */
export interface PatchInfo {
  title: string;
  cves: string[];
  pr?: number;
  commit?: string;
}

export interface NextManifestInput {
  previous?: Manifest;
  reports: readonly BuildReport[];
  /** Patch metadata by patch id. */
  patches: Readonly<Record<string, PatchInfo>>;
  /** Not-live-patchable records by target id (cve-records.ts recordsByTarget), for the built targets. */
  records?: Readonly<Record<string, readonly NotLivePatchable[]>>;
  repository: string;
  now: Date;
  lifetimeDays?: number;
  /**
   * Entries of the previous signed manifest kept as they are (targets this
   * build did not rebuild): re-signed only from what was signed before.
   */
  carried?: readonly ManifestKernel[];
  /** The version to issue when not previous + 1 (it must be higher). */
  version?: number;
  /**
   * The published commit's tree: a previous target no active patch targets
   * gets an entry without a module, and its withdrawn patches' reasons.
   */
  head?: PlanTree;
}

export const DEFAULT_LIFETIME_DAYS = 14;
const DAY_MS = 86_400_000;

/** The manifest that follows `previous` (version + 1, or 1) with one entry per report. */
export function nextManifest(input: NextManifestInput): Manifest {
  const seen = new Set<string>();
  const files = new Set<string>();
  const version = nextVersion(input.previous, input.version);
  const head = input.head ?? { withdrawn: new Map<string, string>() };
  const before = new Map(input.previous?.kernels.map((k) => [k.target, k]));
  const built = input.reports.map((report) =>
    withWithdrawn(
      withRecords(kernelEntry(report, input.patches), input.records),
      before.get(report.target),
      head,
      version,
    ),
  );
  // withdraw: a target left without an active patch keeps an entry, without a module.
  const unpatched = new Set(input.head ? unpatchedTargets(input.head) : []);
  const rebuilt = new Set(input.reports.map((r) => r.target));
  const emptied = [...before.values()]
    .filter((k) => unpatched.has(k.target) && !rebuilt.has(k.target))
    .map((k) => withRecords(moduleless(k, head, version), input.records));
  const carried = (input.carried ?? []).filter((k) => !unpatched.has(k.target));
  const kernels = [...built, ...carried, ...emptied].map((entry) => {
    if (seen.has(entry.target) || seen.has(`#${entry.buildId}`)) {
      throw new LpctlError(
        "MANIFEST_DUPLICATE_TARGET",
        `two build reports for target '${entry.target}' (build-id ${entry.buildId}); pass each target's report once`,
      );
    }
    if (entry.module && files.has(entry.module.file)) {
      throw new LpctlError(
        "BUILD_REPORT_INVALID",
        `two targets publish the module file '${entry.module.file}'; module names must be unique per target`,
      );
    }
    seen.add(entry.target).add(`#${entry.buildId}`);
    if (entry.module) files.add(entry.module.file);
    return entry;
  });
  kernels.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  if (input.previous) checkNamesKeepContent(input.previous, kernels);
  return finish({
    schema: 1,
    version,
    ...window(input.now, input.lifetimeDays),
    repository: input.repository,
    kernels,
  });
}

/** `previous` re-issued with the same kernels, a new version and a new expiry. */
export function refreshManifest(
  previous: Manifest,
  now: Date,
  lifetimeDays?: number,
  version?: number,
): Manifest {
  return finish({
    ...previous,
    version: nextVersion(previous, version),
    ...window(now, lifetimeDays),
  });
}

/** rollback: a chosen version must still be above the previous one. */
function nextVersion(previous: Manifest | undefined, chosen: number | undefined): number {
  const next = (previous?.version ?? 0) + 1;
  if (chosen === undefined) return next;
  if (!Number.isSafeInteger(chosen) || chosen < next)
    throw new LpctlError(
      "MANIFEST_VERSION_INVALID",
      `version ${chosen} is not above the previous version ${previous?.version ?? 0}; versions strictly increase`,
    );
  return chosen;
}

/** One manifest per kernel, named kernel-<buildId>.json, with only that entry. */
export function splitManifest(manifest: Manifest): Manifest[] {
  return manifest.kernels.map((k) => ({ ...manifest, kernels: [k] }));
}

function window(
  now: Date,
  lifetimeDays = DEFAULT_LIFETIME_DAYS,
): { issued: string; expires: string } {
  if (!(lifetimeDays > 0) || !Number.isFinite(lifetimeDays)) {
    throw new LpctlError(
      "USAGE",
      `lifetime must be a positive number of days, not ${lifetimeDays}`,
    );
  }
  const issued = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const expires = new Date(issued.getTime() + Math.round(lifetimeDays * DAY_MS));
  return { issued: issued.toISOString(), expires: expires.toISOString() };
}

function kernelEntry(report: BuildReport, patches: NextManifestInput["patches"]): ManifestKernel {
  if (report.result !== "success" || report.module === undefined) {
    throw new LpctlError(
      "BUILD_REPORT_INVALID",
      `the build for target '${report.target}' did not succeed (result: ${report.result}); only successful builds are published`,
    );
  }
  const m = report.module;
  return {
    target: report.target,
    release: report.release,
    arch: report.arch,
    buildId: report.buildId,
    ...(report.image ? { image: report.image } : {}),
    module: { file: m.file, name: m.name, sha256: m.sha256, length: m.length },
    ...(report.source ? { commit: report.source.commit } : {}),
    patches: report.patches.map((p) => patchEntry(p.id, patches, report.target)),
  };
}

function patchEntry(
  id: string,
  patches: NextManifestInput["patches"],
  target: string,
): ManifestPatch {
  const info = Object.hasOwn(patches, id) ? patches[id] : undefined;
  if (info === undefined) {
    throw new LpctlError(
      "PATCH_INVALID",
      `target '${target}' was built with patch '${id}', which the repository does not describe; publish from the commit the build used`,
    );
  }
  return {
    id,
    title: info.title,
    cves: [...info.cves],
    ...(info.pr !== undefined ? { pr: info.pr } : {}),
    ...(info.commit !== undefined ? { commit: info.commit } : {}),
  };
}

/**
 * The target's records on its entry. A CVE the module live patches is never
 * also declared not live patchable for it (CVE_CONFLICT).
 */
function withRecords(entry: ManifestKernel, records: NextManifestInput["records"]): ManifestKernel {
  const list = records && Object.hasOwn(records, entry.target) ? records[entry.target] : undefined;
  if (list === undefined || list.length === 0) return entry;
  const fixed = new Set(entry.patches.flatMap((p) => p.cves));
  const both = list.find((r) => fixed.has(r.cve));
  if (both !== undefined)
    throw new LpctlError(
      "CVE_CONFLICT",
      `${both.cve} is live patched in the module for '${entry.target}' and declared not live patchable for it; fix patches/*/patch.yaml (lpctl validate names both) and publish again`,
    );
  return { ...entry, notLivePatchable: list.map((r) => ({ ...r })) };
}

/** Every built manifest must pass the schema readers enforce. */
function finish(manifest: Manifest): Manifest {
  const parsed = ManifestSchema.safeParse(manifest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LpctlError(
      "BUILD_REPORT_INVALID",
      `the manifest built from the reports is invalid at ${fieldPath(issue?.path ?? [])}: ${issue?.message ?? "?"}`,
    );
  }
  return parsed.data;
}
