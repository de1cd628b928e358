/**
 * The manifest's `keys`: the key-list version its signer belongs to. A host
 * reads it from the unverified body only as a hint of which key lists to
 * fetch (none when it has not moved), then requires the verified manifest
 * to say the version its signature was actually checked with.
 */
import { LpctlError } from "../errors.js";
import type { Manifest } from "../manifest.js";

/** `keys` of a manifest not yet verified; undefined when absent or not a version. */
export function keyVersionHint(bytes: Uint8Array): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  return Number.isSafeInteger(keys) && (keys as number) >= 0 ? (keys as number) : undefined;
}

/**
 * hint binding: the signed `keys` must be the key-list version the reader
 * followed. A lower one is a replayed or stale hint meant to keep a host off
 * a rotation; a higher one names lists the reader never verified.
 */
export function checkKeyVersion(manifest: Manifest, followed: number, name: string): void {
  if (manifest.keys === undefined || manifest.keys === followed) return;
  const why =
    manifest.keys < followed
      ? `this host already trusts key list version ${followed}: the publisher signed with an outdated key-list directory (publish again with the newest --key-lists)`
      : `key lists up to version ${manifest.keys} were not found beside it (publish them with --key-lists)`;
  throw new LpctlError(
    "MANIFEST_KEYS_MISMATCH",
    `${name} says its signer belongs to key list version ${manifest.keys}, but it was verified with version ${followed}; ${why}`,
    { details: { name, keys: manifest.keys, followed } },
  );
}
