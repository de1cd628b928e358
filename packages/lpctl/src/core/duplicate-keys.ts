/**
 * Duplicate keys in JSON text. JSON.parse keeps the last of two equal keys,
 * so two readers of the same signed bytes could disagree on a value; signed
 * manifests with duplicates are refused.
 */

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

/**
 * Fast check on valid JSON `text` and its parsed `value`: counts the key
 * tokens of every object in one pass (string contents skipped with indexOf)
 * and compares with the parsed objects' key counts in the same order; a
 * duplicate leaves its object one key short. Keys starting with a digit
 * (which JSON objects reorder) answer true, so the exact search decides.
 */
export function hasDuplicateKey(text: string, value: unknown): boolean {
  const counts: number[] = [];
  const stack: number[] = [];
  let inObject = false;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      if (inObject && expectKey) {
        counts[stack[stack.length - 1] ?? 0]++;
        const first = text.charCodeAt(i + 1);
        if (first >= 0x30 && first <= 0x39) return true;
        expectKey = false;
      }
      i = stringEnd(text, i);
    } else if (c === 0x7b /* { */) {
      stack.push(counts.length);
      counts.push(0);
      inObject = expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(-1);
      inObject = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      inObject = stack.length > 0 && stack[stack.length - 1] !== -1;
    } else if (c === 0x2c /* , */ && inObject) {
      expectKey = true;
    }
  }
  return !sameKeyCounts(value, counts);
}

/** Pre-order walk of `value` comparing each object's key count with `counts`. */
function sameKeyCounts(value: unknown, counts: readonly number[]): boolean {
  let next = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (v === null || typeof v !== "object") continue;
    const children: unknown[] = Array.isArray(v) ? (v as unknown[]) : Object.values(v);
    if (!Array.isArray(v) && Object.keys(v).length !== counts[next++]) return false;
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  return next === counts.length;
}
