// Value formatting and the row shape shared by the figure extractors.
// Everything here is pure: numbers in, strings out.

/** Reads a number at a dotted path, or undefined when any step is missing or not a number. */
export function num(doc, dotted) {
  let v = doc;
  for (const key of dotted.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = v[key];
  }
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

const trim = (x, digits) => String(Number(x.toFixed(digits)));

/** Milliseconds with the precision a reader can use: 0.95 ms, 29.3 ms, 1.73 s. */
export function ms(x) {
  if (x >= 1000) return `${trim(x / 1000, x >= 100_000 ? 0 : 2)} s`;
  return `${trim(x, x < 10 ? 2 : 1)} ms`;
}

/** Seconds: 47.5 s, 1,078 s. */
export function seconds(x) {
  return x >= 1000 ? `${Math.round(x).toLocaleString("en-US")} s` : `${trim(x, 1)} s`;
}

export const ratio = (x) => x.toFixed(2);
export const count = (x) => Math.round(x).toLocaleString("en-US");
export const perSecond = (x) => `${trim(x, 1)}/s`;
export const mb = (x) => `${trim(x, 1)} MB`;

/** Bytes: exact below 10 kB (what a reader compares), decimal kB/MB above. */
export function bytes(x) {
  if (x < 10_000) return `${count(x)} B`;
  if (x < 1_000_000) return `${trim(x / 1000, 0)} kB`;
  return `${trim(x / 1_000_000, 2)} MB`;
}

/**
 * One table row. `target` is `{ op: "<" | "≤", limit }` in the value's unit;
 * without a target (or a value) the met column says "—".
 */
export function row(figure, value, fmt, target) {
  const shown = value === undefined ? "not recorded" : fmt(value);
  if (!target) return { figure, value: shown, target: "—", met: "—" };
  const met =
    value === undefined
      ? "—"
      : (target.op === "<" ? value < target.limit : value <= target.limit)
        ? "yes"
        : "no";
  return { figure, value: shown, target: `${target.op} ${fmt(target.limit)}`, met };
}

/**
 * Targets a results JSON states as strings ("warmBuilderOverBare <= 1.10"),
 * in `target` or `targets` (a string or an array): name → limit.
 */
export function statedTargets(doc) {
  const found = {};
  const texts = [doc?.target, doc?.targets].flat().filter((t) => typeof t === "string");
  for (const text of texts) {
    const m = /^\s*(\w+)\s*(<=|<)\s*([\d.]+)\s*$/.exec(text);
    if (m) found[m[1]] = { op: m[2] === "<=" ? "≤" : "<", limit: Number(m[3]) };
  }
  return found;
}
