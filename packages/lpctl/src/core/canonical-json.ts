/**
 * One serialization for signed JSON: the same value always gives the same
 * bytes. Compact (no indentation): a 2-space indent makes a per-kernel
 * manifest with 20 patches ~5.4 KB instead of ~3.2 KB and pushes a
 * 1,000-target manifest past the 4 MiB cap readers enforce. `jq .` shows it
 * indented.
 */

/** `value` with object keys sorted (recursively), no insignificant whitespace, trailing newline. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) + "\n";
}

/** canonicalJson as UTF-8 bytes, the exact bytes that get signed. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
