/**
 * Follows the key chain from `start` (the pinned keys, or the list accepted
 * last time): keys-<N+1>.json while the source has one, each step verified
 * by verifyKeyListStep. The reader is injected (HTTP, file, a release), so
 * the rule is the same for hosts and `lpctl mirror`. With `upTo` (the
 * version a manifest names) it stops there, and a list missing on the way
 * is an error: the manifest says it was published.
 */
import { LpctlError } from "../errors.js";
import { checkKeyListFresh, keyListName, type Trust } from "../key-list.js";
import { verifyKeyListStep } from "./verify-key-list.js";

export type KeyListReader = (
  name: string,
) => Promise<{ bytes: Uint8Array; signature: Uint8Array } | undefined>;

/** At most this many steps per run: a source cannot keep a host walking forever. */
export const MAX_KEY_LIST_STEPS = 64;

/** The trust after every newer key list the source offers; throws KEY_LIST_*. */
export async function followKeyLists(
  read: KeyListReader,
  start: Trust & { expires?: string },
  now: Date,
  upTo?: number,
): Promise<Trust & { expires?: string }> {
  let trust = start;
  for (let step = 0; step < MAX_KEY_LIST_STEPS; step++) {
    if (upTo !== undefined && trust.version >= upTo) break;
    const name = keyListName(trust.version + 1);
    const found = await read(name);
    if (found === undefined) {
      if (upTo === undefined) break;
      throw new LpctlError(
        "KEY_LIST_MISSING",
        `the manifest names key list version ${upTo}, but the source has no ${name}; the publisher must publish its key lists beside the manifest (--key-lists), or the source is withholding them`,
        { details: { name, upTo, trusted: trust.version } },
      );
    }
    trust = await verifyKeyListStep(found.bytes, found.signature, trust, now, name);
  }
  checkKeyListFresh(trust, now);
  return trust;
}
