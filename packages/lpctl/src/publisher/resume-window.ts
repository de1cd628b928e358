/**
 * The rules a half-published release's issue window must meet before a
 * resumed run signs it again. Pure.
 */
import { LpctlError } from "../core/errors.js";
import type { Manifest } from "../core/manifest.js";

export interface Window {
  issued: string;
  expires: string;
}

const DAY_MS = 86_400_000;

/**
 * freeze: a window is resumed only if this run could have chosen it itself —
 * the same version, issued no later than now, no longer than the lifetime,
 * and not expired — so an earlier run with a far-future clock or a huge
 * lifetime cannot outlive the freeze protection.
 */
export function checkResumeWindow(
  manifest: Manifest,
  where: string,
  rules: { version: number; now: Date; lifetimeDays: number },
): Window {
  const issued = Date.parse(manifest.issued);
  const expires = Date.parse(manifest.expires);
  const fail = (why: string): never => {
    throw new LpctlError(
      "RESUME_WINDOW_INVALID",
      `${where}: cannot resume its window (issued ${manifest.issued}, expires ${manifest.expires}): ${why}; delete the release's assets and publish again`,
      { details: { where, issued: manifest.issued, expires: manifest.expires } },
    );
  };
  if (manifest.version !== rules.version)
    fail(`it is version ${manifest.version}, not ${rules.version}`);
  if (issued > rules.now.getTime()) fail(`it is issued after now (${rules.now.toISOString()})`);
  if (expires - issued > rules.lifetimeDays * DAY_MS)
    fail(`it is valid longer than the lifetime of ${rules.lifetimeDays} days`);
  if (expires <= rules.now.getTime()) fail("it has expired");
  return { issued: manifest.issued, expires: manifest.expires };
}
