/** `strategy.matrix` expansion with GitHub's include/exclude rules. */
import { ForgeError } from "../errors.js";
import type { Json } from "./expressions.js";

export type Combination = Record<string, Json>;

function isObject(v: Json | undefined): v is Record<string, Json> {
  return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);
}

const same = (a: Json | undefined, b: Json | undefined) => JSON.stringify(a) === JSON.stringify(b);

function listOf(value: Json | undefined, what: string): Combination[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isObject)) {
    throw new ForgeError("WORKFLOW_INVALID", `matrix ${what} must be a list of mappings`);
  }
  return value;
}

/**
 * The job legs of a matrix (undefined: one leg with an empty matrix). The
 * vectors' cartesian product in key order, minus `exclude` entries (each
 * matching on the keys it names), then each `include` entry added to every
 * combination whose original values it does not change, or appended as its
 * own combination when it fits none.
 */
export function expandMatrix(matrix: Json | undefined): Combination[] {
  if (matrix === undefined || matrix === null) return [{}];
  if (!isObject(matrix))
    throw new ForgeError("WORKFLOW_INVALID", "strategy.matrix must be a mapping");
  const include = listOf(matrix.include, "include");
  const exclude = listOf(matrix.exclude, "exclude");
  const vectors = Object.entries(matrix).filter(([k]) => k !== "include" && k !== "exclude");
  let combos: Combination[] = [{}];
  for (const [key, values] of vectors) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new ForgeError(
        "WORKFLOW_INVALID",
        `matrix vector '${key}' ${Array.isArray(values) ? "does not contain any values" : "must be a list"}`,
      );
    }
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  if (vectors.length === 0) combos = [];
  combos = combos.filter(
    (c) => !exclude.some((e) => Object.entries(e).every(([k, v]) => same(c[k], v))),
  );
  const original = new Set(vectors.map(([k]) => k));
  const extra: Combination[] = [];
  const result = combos.map((c) => ({ ...c }));
  for (const entry of include) {
    let added = false;
    for (const [i, c] of combos.entries()) {
      const fits = Object.entries(entry).every(([k, v]) => !original.has(k) || same(c[k], v));
      if (fits) {
        Object.assign(result[i], entry);
        added = true;
      }
    }
    if (!added) extra.push({ ...entry });
  }
  const all = [...result, ...extra];
  if (all.length === 0)
    throw new ForgeError("WORKFLOW_INVALID", "strategy.matrix produces no jobs");
  return all;
}

/** `build (a, b)`: a leg's display name, from its matrix values in order. */
export function legName(jobName: string, combination: Combination, legs: number): string {
  const values = Object.values(combination);
  if (legs <= 1 && values.length === 0) return jobName;
  const shown = values.map((v) =>
    typeof v === "object" && v !== null ? JSON.stringify(v) : String(v),
  );
  return `${jobName} (${shown.join(", ")})`;
}
