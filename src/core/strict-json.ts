/**
 * JSON parsing that refuses what JSON.parse silently accepts: duplicate keys
 * (JSON.parse keeps the last one, so two readers of the same signed bytes
 * could see different values) and bytes that are not valid UTF-8.
 */
import { LpctlError, type ErrorCode } from "./errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

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
    text = utf8.decode(bytes);
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

/**
 * The first key that occurs twice in one object of `text` (already known to
 * be valid JSON), with the object's path, or undefined.
 */
export function findDuplicateKey(text: string): { key: string; path: string } | undefined {
  const stack: Frame[] = [];
  const childPath = (): string => {
    const top = stack.at(-1);
    if (top === undefined) return "";
    if (top.keys === undefined) return `${top.path}[${top.index}]`;
    return top.path ? `${top.path}.${top.lastKey}` : top.lastKey;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{" || c === "[") {
      const path = childPath();
      stack.push({
        keys: c === "{" ? new Set() : undefined,
        path,
        expectKey: c === "{",
        index: 0,
        lastKey: "",
      });
    } else if (c === "}" || c === "]") {
      stack.pop();
    } else if (c === ",") {
      const top = stack.at(-1);
      if (top?.keys !== undefined) top.expectKey = true;
      else if (top !== undefined) top.index++;
    } else if (c === '"') {
      const end = stringEnd(text, i);
      const top = stack.at(-1);
      if (top?.keys !== undefined && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return { key, path: top.path };
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = end;
    }
  }
  return undefined;
}

/** Index of the closing quote of the string starting at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}
