/**
 * JSON parsing that refuses what JSON.parse silently accepts: duplicate keys
 * (JSON.parse keeps the last one, so two readers of the same signed bytes
 * could see different values) and bytes that are not valid UTF-8.
 */
import { Buffer, isUtf8 } from "node:buffer";
import { findDuplicateKey, hasDuplicateKey } from "./duplicate-keys.js";
import { LpctlError, type ErrorCode } from "./errors.js";

/** Parses `bytes` as JSON; throws `malformed` or `duplicate` (codes) naming `what`. */
export function parseStrictJson(
  bytes: Uint8Array,
  what: string,
  codes: { malformed: ErrorCode; duplicate: ErrorCode } = {
    malformed: "MANIFEST_MALFORMED",
    duplicate: "MANIFEST_DUPLICATE_KEY",
  },
): unknown {
  if (!isUtf8(bytes)) {
    throw new LpctlError(codes.malformed, `${what} is not valid UTF-8 JSON: invalid UTF-8`);
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new LpctlError(codes.malformed, `${what} is not valid UTF-8 JSON: ${String(e)}`, {
      cause: e,
    });
  }
  const duplicate = hasDuplicateKey(text, value) ? findDuplicateKey(text) : undefined;
  if (duplicate !== undefined) {
    throw new LpctlError(
      codes.duplicate,
      `${what} has the key '${duplicate.key}' twice in one object at ${duplicate.path || "the top level"}; refusing ambiguous JSON`,
      { details: duplicate },
    );
  }
  return value;
}

export { findDuplicateKey } from "./duplicate-keys.js";
