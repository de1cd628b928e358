/**
 * The manifest rules a reader enforces after the signature verified: shape,
 * version, dates, rollback, expiry, file names, one entry per target.
 */
import type { z } from "zod";
import { LpctlError, type ErrorCode } from "../errors.js";
import { ManifestSchema, type Manifest } from "../manifest.js";
import { fieldPath } from "../schema-issues.js";
import { parseStrictJson } from "../strict-json.js";

/** The code a schema issue at `path` is reported with. */
function codeFor(path: string): ErrorCode {
  if (path === "version") return "MANIFEST_VERSION_INVALID";
  if (path === "issued" || path === "expires") return "MANIFEST_EXPIRES_INVALID";
  if (/^kernels\[\d+\]\.module\.file$/.test(path)) return "MANIFEST_FILE_NAME_UNSAFE";
  return "MANIFEST_MALFORMED";
}

/** Validates the parsed JSON `value` against the manifest schema; throws with the field path. */
export function parseManifestValue(value: unknown): Manifest {
  const parsed = ManifestSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  // The most specific rule wins: a bad version is a version error, not "malformed".
  const ranked = issues
    .map((issue: z.core.$ZodIssue) => ({ issue, path: fieldPath(issue.path) }))
    .sort((a, b) => rank(codeFor(a.path)) - rank(codeFor(b.path)));
  const first = ranked[0];
  if (first === undefined) throw new LpctlError("MANIFEST_MALFORMED", "manifest is malformed");
  const code = codeFor(first.path);
  throw new LpctlError(
    code,
    `manifest field ${first.path || "(top level)"}: ${first.issue.message}; the publisher wrote an invalid manifest`,
    { details: { path: first.path, issues: ranked.map((r) => `${r.path}: ${r.issue.message}`) } },
  );
}

function rank(code: ErrorCode): number {
  return code === "MANIFEST_MALFORMED" ? 1 : 0;
}

/** Freshness and consistency rules of a schema-valid manifest at `now`. */
export function checkManifestRules(
  manifest: Manifest,
  now: Date,
  lastVersion?: number,
): { unchanged: boolean } {
  const issued = Date.parse(manifest.issued);
  const expires = Date.parse(manifest.expires);
  // dates: both must be real instants and the validity window must not be inverted.
  if (Number.isNaN(issued) || Number.isNaN(expires) || expires <= issued) {
    throw new LpctlError(
      "MANIFEST_EXPIRES_INVALID",
      `manifest dates issued=${manifest.issued} expires=${manifest.expires} are not a valid window`,
    );
  }
  // rollback: version must not decrease below the last accepted one.
  if (lastVersion !== undefined && manifest.version < lastVersion) {
    throw new LpctlError(
      "MANIFEST_ROLLBACK",
      `manifest version ${manifest.version} is older than version ${lastVersion} accepted before; someone serves stale files`,
      { details: { version: manifest.version, lastVersion } },
    );
  }
  // freeze: an expired manifest is refused, so an attacker cannot replay it forever.
  if (expires <= now.getTime()) {
    throw new LpctlError(
      "MANIFEST_EXPIRED",
      `manifest version ${manifest.version} expired at ${manifest.expires}; the publisher must re-issue it (lpctl publish --refresh)`,
      { details: { expires: manifest.expires, now: now.toISOString() } },
    );
  }
  checkUniqueTargets(manifest);
  return { unchanged: lastVersion !== undefined && manifest.version === lastVersion };
}

/** uniqueness: one entry per target and per build-id, so a host's match is unambiguous. */
function checkUniqueTargets(manifest: Manifest): void {
  const targets = new Set<string>();
  const buildIds = new Set<string>();
  for (const k of manifest.kernels) {
    if (targets.has(k.target) || buildIds.has(k.buildId)) {
      throw new LpctlError(
        "MANIFEST_DUPLICATE_TARGET",
        `manifest lists target '${k.target}' (build-id ${k.buildId}) twice; a host could not tell which module to load`,
        { details: { target: k.target, buildId: k.buildId } },
      );
    }
    targets.add(k.target);
    buildIds.add(k.buildId);
  }
}

/**
 * `value` with only the kernel entry for `buildId`, after checking that no
 * target or build-id occurs twice in the whole list: a host that needs one
 * entry does not pay for validating a thousand.
 */
export function selectKernelValue(value: unknown, buildId: string): unknown {
  if (typeof value !== "object" || value === null || !("kernels" in value)) return value;
  const kernels = value.kernels;
  if (!Array.isArray(kernels)) return value;
  const targets = new Set<unknown>();
  const buildIds = new Set<unknown>();
  const selected: unknown[] = [];
  for (const k of kernels as unknown[]) {
    const { target, buildId: id } = (typeof k === "object" && k !== null ? k : {}) as Record<
      string,
      unknown
    >;
    if (targets.has(target) || buildIds.has(id)) {
      throw new LpctlError(
        "MANIFEST_DUPLICATE_TARGET",
        `manifest lists target '${String(target)}' (build-id ${String(id)}) twice; a host could not tell which module to load`,
        { details: { target, buildId: id } },
      );
    }
    targets.add(target);
    buildIds.add(id);
    if (id === buildId) selected.push(k);
  }
  return { ...value, kernels: selected };
}

/**
 * The manifest in `bytes`, strictly parsed (only the entry for `select` when
 * given) and held to the rules at `now`. The caller has established where
 * the bytes come from: their signature (verifyManifest), or the record a
 * sync wrote when it had verified them (packages/lpctl/src/agent/verified-copy.ts).
 */
export function readManifestBytes(
  bytes: Uint8Array,
  now: Date,
  lastVersion?: number,
  select?: string,
): { manifest: Manifest; unchanged: boolean } {
  const value = parseStrictJson(bytes, "manifest");
  const manifest = parseManifestValue(
    select === undefined ? value : selectKernelValue(value, select),
  );
  const { unchanged } = checkManifestRules(manifest, now, lastVersion);
  return { manifest, unchanged };
}
