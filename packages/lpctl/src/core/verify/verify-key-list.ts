/**
 * One step of the key chain: list `current.version + 1` is accepted only if
 * a threshold of the keys trusted now signed it AND a threshold of the keys
 * it lists did (they prove they can sign). Pure: bytes and trust in.
 */
import { LpctlError } from "../errors.js";
import { KEY_LIST_MAX_BYTES, KeyListSchema, type KeyList, type Trust } from "../key-list.js";
import { fieldPath } from "../schema-issues.js";
import { parseStrictJson } from "../strict-json.js";
import { verifyDetached } from "./verify-detached.js";

/** The trust that follows `current` after verifying `bytes` (a key list) and its `signature`. */
export async function verifyKeyListStep(
  bytes: Uint8Array,
  signature: Uint8Array,
  current: Trust,
  now: Date,
  name: string,
): Promise<Trust & { expires: string }> {
  if (bytes.length > KEY_LIST_MAX_BYTES) {
    throw new LpctlError("KEY_LIST_INVALID", `${name} is larger than ${KEY_LIST_MAX_BYTES} bytes`);
  }
  // chain: signed by the keys trusted now, checked before anything is parsed.
  await verifyDetached(bytes, signature, current.keys, now, current.threshold).catch(
    (e: unknown) => {
      throw wrap(e, `${name} is not signed by ${current.threshold} of the keys this host trusts`);
    },
  );
  const list = parse(bytes, name);
  // rollback: the list after version N is N+1, never an older one replayed.
  if (list.version !== current.version + 1) {
    throw new LpctlError(
      list.version <= current.version ? "KEY_LIST_ROLLBACK" : "KEY_LIST_INVALID",
      `${name} holds key list version ${list.version}, expected ${current.version + 1}`,
      { details: { version: list.version, expected: current.version + 1 } },
    );
  }
  // possession: the new keys must themselves have signed, or a typo locks hosts out.
  await verifyDetached(bytes, signature, list.keys, now, list.threshold).catch((e: unknown) => {
    throw wrap(e, `${name} is not signed by ${list.threshold} of the keys it lists`);
  });
  return {
    version: list.version,
    threshold: list.threshold,
    keys: list.keys,
    expires: list.expires,
  };
}

function parse(bytes: Uint8Array, name: string): KeyList {
  const parsed = KeyListSchema.safeParse(
    parseStrictJson(bytes, name, { malformed: "KEY_LIST_INVALID", duplicate: "KEY_LIST_INVALID" }),
  );
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new LpctlError(
    "KEY_LIST_INVALID",
    `${name}: ${fieldPath(issue?.path ?? []) || "(top level)"}: ${issue?.message ?? "invalid"}`,
  );
}

function wrap(e: unknown, message: string): LpctlError {
  const code = e instanceof LpctlError ? e.code : "SIGNATURE_INVALID";
  return new LpctlError(
    "KEY_LIST_INVALID",
    `${message} (${code}: ${e instanceof Error ? e.message : String(e)})`,
    {
      cause: e,
      details: { reason: code },
    },
  );
}
