/**
 * The keys this host trusts for this run: its pinned keys, moved forward
 * along the signed key lists the source publishes (keys-<N>.json). The
 * accepted list is kept in the state with a digest of the pinned config, so
 * a host re-pinned by hand starts its chain again from the new pin.
 */
import { plural } from "../core/plural.js";
import { createHash } from "node:crypto";
import {
  checkKeyListFresh,
  KEY_LIST_MAX_BYTES,
  keyListName,
  type Trust,
} from "../core/key-list.js";
import type { AgentDeps } from "./agent-deps.js";
import { SIGNATURE_MAX_BYTES } from "./fetcher.js";
import type { AgentState } from "./state.js";

export type StoredTrust = NonNullable<AgentState["trust"]>;

/** The trust to verify manifests and modules with, and what to store. */
export async function currentTrust(
  deps: AgentDeps,
  stored: StoredTrust | undefined,
  pinnedKeys: string[],
  now: Date,
): Promise<StoredTrust> {
  const pinned = createHash("sha256")
    .update(JSON.stringify([deps.config.threshold, pinnedKeys]))
    .digest("hex");
  const start: Trust & { expires?: string } =
    stored?.pinned === pinned
      ? stored
      : { version: 0, threshold: deps.config.threshold, keys: pinnedKeys };
  const read = async (name: string) => {
    const list = await deps.fetcher.fetch({ name, maxBytes: KEY_LIST_MAX_BYTES });
    if (list.status !== "ok") return undefined;
    const sig = await deps.fetcher.fetch({ name: `${name}.asc`, maxBytes: SIGNATURE_MAX_BYTES });
    return { bytes: list.body, signature: sig.status === "ok" ? sig.body : new Uint8Array() };
  };
  const firstName = keyListName(start.version + 1);
  const first = await read(firstName);
  let trust = start;
  if (first === undefined) {
    checkKeyListFresh(start, now);
  } else {
    // Loaded on demand: with no new key list, no OpenPGP is needed (start time).
    const { followKeyLists } = await import("../core/verify/index.js");
    trust = await followKeyLists(
      (n) => (n === firstName ? Promise.resolve(first) : read(n)),
      start,
      now,
    );
  }
  if (trust.version > start.version) {
    deps.log(
      `accepted key list version ${trust.version} (${plural(trust.keys.length, "key")}, threshold ${trust.threshold})`,
    );
  }
  return {
    version: trust.version,
    threshold: trust.threshold,
    keys: trust.keys,
    ...(trust.expires === undefined ? {} : { expires: trust.expires }),
    pinned,
  };
}
