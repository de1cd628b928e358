/**
 * JSON parsing that refuses what JSON.parse silently accepts: duplicate keys
 * (JSON.parse keeps the last one, so two readers of the same signed bytes
 * could see different values) and bytes that are not valid UTF-8.
 */
import { Buffer, isUtf8 } from "node:buffer";
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
  let text: string;
  let value: unknown;
  try {
    if (!isUtf8(bytes)) throw new Error("invalid UTF-8");
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
    value = JSON.parse(text);
  } catch (e) {
    throw new LpctlError(codes.malformed, `${what} is not valid UTF-8 JSON: ${String(e)}`, {
      cause: e,
    });
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) {
    throw new LpctlError(
      codes.duplicate,
      `${what} has the key '${duplicate.key}' twice in one object at ${duplicate.path || "the top level"}; refusing ambiguous JSON`,
      { details: duplicate },
    );
  }
  return value;
}

interface Frame {
  keys: Set<string> | undefined;
  path: string;
  expectKey: boolean;
  index: number;
  lastKey: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The first key that occurs twice in one object of `text` (already known to
 * be valid JSON), with the object's path, or undefined. One pass; string
 * values are skipped with indexOf, so a multi-megabyte manifest takes
 * milliseconds.
 */
export function findDuplicateKey(text: string): { key: string; path: string } | undefined {
  const stack: Frame[] = [];
  let top: Frame | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (top?.keys !== undefined && top.expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.has(key)) return { key, path: top.path };
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const path = top === undefined ? "" : childPath(top);
      const isObject = c === 0x7b;
      top = {
        keys: isObject ? new Set() : undefined,
        path,
        expectKey: isObject,
        index: 0,
        lastKey: "",
      };
      stack.push(top);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      top = stack.at(-1);
    } else if (c === 0x2c /* , */ && top !== undefined) {
      if (top.keys !== undefined) top.expectKey = true;
      else top.index++;
    }
  }
  return undefined;
}

function childPath(top: Frame): string {
  if (top.keys === undefined) return `${top.path}[${top.index}]`;
  return top.path ? `${top.path}.${top.lastKey}` : top.lastKey;
}

/** Index of the closing quote of the string starting at `start`. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    let slashes = 0;
    for (let j = end - 1; text.charCodeAt(j) === BACKSLASH; j--) slashes++;
    if (slashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length - 1;
}
