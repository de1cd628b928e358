/**
 * Follows the key chain from `start` (the pinned keys, or the list accepted
 * last time): keys-<N+1>.json while the source has one, each step verified
 * by verifyKeyListStep. The reader is injected (HTTP, file, a release), so
 * the rule is the same for hosts and `lpctl mirror`.
 */
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
): Promise<Trust & { expires?: string }> {
  let trust = start;
  for (let step = 0; step < MAX_KEY_LIST_STEPS; step++) {
    const name = keyListName(trust.version + 1);
    const found = await read(name);
    if (found === undefined) break;
    trust = await verifyKeyListStep(found.bytes, found.signature, trust, now, name);
  }
  checkKeyListFresh(trust, now);
  return trust;
}
