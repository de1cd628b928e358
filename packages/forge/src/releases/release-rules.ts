/**
 * Pure release rules: which release is "latest", and which asset names the
 * forge stores (GitHub renames some characters; the forge refuses the
 * unsafe ones instead, so a name can never climb out of a URL or path).
 */
import type { ReleaseRow } from "../model/release-rows.js";

/**
 * GitHub's latest release: never a draft or a prerelease; the one most
 * recently made latest (`make_latest`, default true on publishing), or,
 * when none was, the most recently created.
 */
export function latestRelease(releases: readonly ReleaseRow[]): ReleaseRow | undefined {
  const candidates = releases.filter((r) => !r.draft && !r.prerelease);
  const ranked = candidates
    .filter((r) => r.latestRank > 0)
    .sort((a, b) => b.latestRank - a.latestRank);
  if (ranked[0]) return ranked[0];
  return [...candidates].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id)[0];
}

export function nextLatestRank(releases: readonly ReleaseRow[]): number {
  return releases.reduce((max, r) => Math.max(max, r.latestRank), 0) + 1;
}

const MAX_NAME = 255;

/** Why `name` cannot be an asset name, or undefined when it can. */
export function assetNameProblem(name: string): string | undefined {
  if (name.length === 0) return "name is empty";
  if (name.length > MAX_NAME) return `name is longer than ${MAX_NAME} characters`;
  if (name.includes("/") || name.includes("\\")) return "name contains a path separator";
  if (name === "." || name === ".." || name.includes("..")) return "name contains '..'";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return "name contains a control character";
  return undefined;
}
