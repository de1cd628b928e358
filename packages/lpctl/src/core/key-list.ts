/**
 * The signed key list (TUF's root role): which keys sign manifests and how
 * many of them must. Version N is published as `keys-<N>.json` + `.asc`
 * beside the manifest, signed by a threshold of version N-1's keys (the
 * host's pinned keys for N = 1) and by a threshold of its own keys. A host
 * follows the chain from what it pinned, so a release can introduce a new
 * signing key and retire an old one without touching every host.
 */
import * as z from "./zod-mini.js";
import { LpctlError } from "./errors.js";

/** Built on first parse (z.lazy): the host agent's idle sync reads no key list. */
export const KeyListSchema = z.lazy(() =>
  z
    .strictObject({
      schema: z.literal(1),
      type: z.literal("keys"),
      /** Strictly increasing by one: hosts fetch N+1 after N (rollback: never lower). */
      version: z.number().check(z.int(), z.positive(), z.lte(Number.MAX_SAFE_INTEGER)),
      expires: z.iso.datetime({ offset: true }),
      /** Distinct listed keys that must sign a manifest (and the next list). */
      threshold: z.number().check(z.int(), z.positive()),
      /** Armored OpenPGP public keys. */
      keys: z
        .array(z.string().check(z.includes("BEGIN PGP PUBLIC KEY BLOCK")))
        .check(z.minLength(1), z.maxLength(16)),
    })
    .check(
      z.refine((l) => l.threshold <= l.keys.length, {
        message: "threshold exceeds the number of keys",
        path: ["threshold"],
      }),
    ),
);

export type KeyList = z.infer<typeof KeyListSchema>;

/** What a host trusts right now: its pinned keys (version 0) or an accepted list. */
export interface Trust {
  version: number;
  threshold: number;
  keys: string[];
}

/** File name of key list version `version`. */
export function keyListName(version: number): string {
  return `keys-${version}.json`;
}

/** Largest key list a reader parses (16 RSA-4096 keys fit easily). */
export const KEY_LIST_MAX_BYTES = 256 * 1024;

/**
 * freeze: the newest accepted list must still be valid, or a stale source
 * could keep a retired key trusted forever by never offering the next list.
 */
export function checkKeyListFresh(trust: Trust & { expires?: string }, now: Date): void {
  if (trust.expires !== undefined && Date.parse(trust.expires) <= now.getTime()) {
    throw new LpctlError(
      "KEY_LIST_EXPIRED",
      `key list version ${trust.version} expired at ${trust.expires}; the publisher must sign a new one (lpctl keys rotate)`,
      { details: { version: trust.version, expires: trust.expires } },
    );
  }
}
