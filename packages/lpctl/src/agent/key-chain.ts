/**
 * The keys this host trusts for this run: its pinned keys, moved forward
 * along the signed key lists the source publishes (keys-<N>.json). The
 * manifest names the key-list version its signer belongs to, so lists are
 * fetched only when that moved; a manifest without it (an older publisher)
 * makes the host probe keys-<N+1>.json as before. The accepted list is kept
 * in the state with a digest of the pinned config, so a host re-pinned by
 * hand starts its chain again from the new pin.
 */
import { plural } from "../core/plural.js";
import { createHash } from "node:crypto";
import { checkKeyListFresh, KEY_LIST_MAX_BYTES, type Trust } from "../core/key-list.js";
import type { AgentDeps } from "./agent-deps.js";
import { SIGNATURE_MAX_BYTES } from "./fetcher.js";
import type { AgentState } from "./state.js";

export type StoredTrust = NonNullable<AgentState["trust"]>;

export interface KeyChain {
  /** The pinned keys changed since the stored trust: what was verified with it is not reused. */
  repinned: boolean;
  /** The trust when the manifest did not change (304): the stored one, if still fresh. */
  unchanged(): StoredTrust;
  /** The trust for a fetched manifest naming key list `upTo` (undefined: probe for newer lists). */
  follow(upTo: number | undefined): Promise<StoredTrust>;
}

/** This run's key chain, starting from the stored trust (or the pins). */
export function keyChain(
  deps: AgentDeps,
  stored: StoredTrust | undefined,
  pinnedKeys: string[],
  now: Date,
): KeyChain {
  const pinned = createHash("sha256")
    .update(JSON.stringify([deps.config.threshold, pinnedKeys]))
    .digest("hex");
  const repinned = stored?.pinned !== pinned;
  const start: Trust & { expires?: string } = repinned
    ? { version: 0, threshold: deps.config.threshold, keys: pinnedKeys }
    : stored;
  const keep = (trust: Trust & { expires?: string }): StoredTrust => ({
    version: trust.version,
    threshold: trust.threshold,
    keys: trust.keys,
    ...(trust.expires === undefined ? {} : { expires: trust.expires }),
    pinned,
  });
  const read = async (name: string) => {
    const list = await deps.fetcher.fetch({ name, maxBytes: KEY_LIST_MAX_BYTES });
    if (list.status !== "ok") return undefined;
    const sig = await deps.fetcher.fetch({ name: `${name}.asc`, maxBytes: SIGNATURE_MAX_BYTES });
    return { bytes: list.body, signature: sig.status === "ok" ? sig.body : new Uint8Array() };
  };
  return {
    repinned,
    unchanged() {
      // freeze: a stale source must not keep a retired key trusted past its list's expiry.
      checkKeyListFresh(start, now);
      return keep(start);
    },
    async follow(upTo) {
      // Loaded on demand: the 304 path needs no OpenPGP (agent start time).
      const { followKeyLists } = await import("../core/verify/index.js");
      const trust = await followKeyLists(read, start, now, upTo);
      if (trust.version > start.version) {
        deps.log(
          `accepted key list version ${trust.version} (${plural(trust.keys.length, "key")}, threshold ${trust.threshold})`,
        );
      }
      return keep(trust);
    },
  };
}
