/**
 * Debian version ordering (deb-version(7)): `[epoch:]upstream[-revision]`,
 * compared part by part, where `~` sorts before everything, even the end.
 * Pure, so "the newest available version" is decided without a process;
 * an integration test checks it against `dpkg --compare-versions`.
 */

interface Parts {
  epoch: number;
  upstream: string;
  revision: string;
}

function split(v: string): Parts {
  const colon = v.indexOf(":");
  const epoch = colon > 0 ? Number(v.slice(0, colon)) : 0;
  const rest = colon > 0 ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf("-");
  return dash > 0
    ? { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) }
    : { epoch, upstream: rest, revision: "" };
}

/** Weight of one character in the non-digit runs: `~` lowest, letters before others. */
function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === "~") return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function compareFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Non-digit run, character by character.
    while ((i < a.length && !/\d/.test(a[i] ?? "")) || (j < b.length && !/\d/.test(b[j] ?? ""))) {
      const ca = i < a.length && !/\d/.test(a[i] ?? "") ? a[i] : undefined;
      const cb = j < b.length && !/\d/.test(b[j] ?? "") ? b[j] : undefined;
      const d = order(ca) - order(cb);
      if (d !== 0) return d;
      i++;
      j++;
    }
    // Digit run, as a number (leading zeros do not count).
    let na = "";
    let nb = "";
    while (i < a.length && /\d/.test(a[i] ?? "")) na += a[i++];
    while (j < b.length && /\d/.test(b[j] ?? "")) nb += b[j++];
    const d = compareDigits(na, nb);
    if (d !== 0) return d;
  }
  return 0;
}

function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/, "");
  const y = b.replace(/^0+/, "");
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b`. */
export function compareDebianVersions(a: string, b: string): number {
  const pa = split(a);
  const pb = split(b);
  if (pa.epoch !== pb.epoch) return pa.epoch - pb.epoch;
  return compareFragment(pa.upstream, pb.upstream) || compareFragment(pa.revision, pb.revision);
}

/** The highest version of a list, or undefined for an empty one. */
export function newestDebianVersion(versions: readonly string[]): string | undefined {
  return [...versions].sort(compareDebianVersions).at(-1);
}
