/**
 * Makes key list version N (keys-<N>.json + .asc): the new keys and
 * threshold, signed by every given signer (a threshold of the current keys
 * and of the new ones). It is checked the way a host will check it before it
 * is returned, so a list hosts would refuse is never written.
 */
import { canonicalJsonBytes } from "../core/canonical-json.js";
import { keyListName, type KeyList, type Trust } from "../core/key-list.js";
import type { Signer } from "../core/sign/signer.js";
import { verifyKeyListStep } from "../core/verify/index.js";

export interface KeyListInput {
  /** The trust hosts have now: the pinned keys (version 0) or the newest list. */
  current: Trust;
  keys: string[];
  threshold: number;
  expires: Date;
  signers: readonly Signer[];
  now: Date;
}

/** The file name, bytes and detached signature(s) of the next key list. */
export async function signKeyList(
  input: KeyListInput,
): Promise<{ name: string; bytes: Uint8Array; signature: Uint8Array; list: KeyList }> {
  const list: KeyList = {
    schema: 1,
    type: "keys",
    version: input.current.version + 1,
    expires: new Date(Math.floor(input.expires.getTime() / 1000) * 1000).toISOString(),
    threshold: input.threshold,
    keys: input.keys,
  };
  const bytes = canonicalJsonBytes(list);
  // Several signers' armored blocks, concatenated: the detached .asc hosts read.
  const blocks = await Promise.all(input.signers.map((s) => s.sign(bytes)));
  const signature = new TextEncoder().encode(blocks.join("\n"));
  const name = keyListName(list.version);
  await verifyKeyListStep(bytes, signature, input.current, input.now, name);
  return { name, bytes, signature, list };
}
