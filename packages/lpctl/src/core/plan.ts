/**
 * The build plan: which kernel targets a change affects, and why. A changed
 * patch rebuilds the targets it lists (before and after the change: a target
 * it no longer lists gets a module without it); a changed target rebuilds
 * with every patch on it; a deleted patch rebuilds its former targets, whose
 * cumulative module shrinks. A target no active patch targets (the last one
 * withdrawn or deleted) is not built: the next manifest gives it an entry
 * without a module, so hosts unload theirs. Pure: two trees and the changed
 * paths in.
 */
import type { PlanTree } from "./plan-tree.js";

/** GitHub runs at most 256 jobs from one matrix. */
export const MAX_MATRIX_JOBS = 256;

export interface PlanInput {
  /** Paths changed between base and head. */
  changed: readonly string[];
  /** The base tree; undefined plans a full build (a first push, a manual run). */
  base?: PlanTree;
  head: PlanTree;
  maxJobs?: number;
}

export interface BuildPlan {
  /** Every target to build, sorted. */
  targets: string[];
  /** `targets` split into matrices of at most maxJobs, in order. */
  chunks: string[][];
  /** Why each target is built. */
  reasons: Record<string, string[]>;
  /** Patches the change touches, sorted. */
  patches: string[];
  /** Targets the change deletes: no build; the next manifest drops them. */
  removedTargets: string[];
  /** Targets the change leaves with no active patch: no build; their next entry has no module. */
  emptied: string[];
}

/** Targets of `tree` that no (active) patch targets, sorted. */
export function unpatchedTargets(tree: PlanTree): string[] {
  const patched = new Set(
    [...tree.patches].filter(([id]) => !tree.recordsOnly?.has(id)).flatMap(([, t]) => t),
  );
  return tree.targets.filter((t) => !patched.has(t));
}

/** The targets `input.changed` affects in `input.head`, with reasons. */
export function planBuild(input: PlanInput): BuildPlan {
  const { head, base } = input;
  const reasons = new Map<string, string[]>();
  const unpatched = unpatchedTargets(head);
  const emptied = new Set<string>();
  const add = (target: string, why: string): void => {
    if (!head.targets.includes(target)) return; // deleted: nothing to build
    if (unpatched.includes(target)) {
      emptied.add(target); // no patch left: nothing to build
      return;
    }
    const list = reasons.get(target) ?? [];
    if (!list.includes(why)) list.push(why);
    reasons.set(target, list);
  };
  const touchedPatches = idsUnder(input.changed, "patches");
  if (base === undefined) {
    for (const t of head.targets) add(t, "full build");
  } else {
    for (const id of touchedPatches) {
      const now = head.patches.get(id);
      const before = base.patches.get(id) ?? [];
      if (now === undefined) {
        for (const t of before) add(t, `patch ${id} deleted: its module shrinks`);
        continue;
      }
      for (const t of now) add(t, `patch ${id} changed`);
      const gone = head.withdrawn.has(id) ? "withdrawn" : "no longer targets it";
      for (const t of before)
        if (!now.includes(t)) add(t, `patch ${id} ${gone}: its module shrinks`);
    }
    for (const t of idsUnder(input.changed, "kernels"))
      add(t, "target changed: rebuilds every patch on it");
    // A new or deleted target can change what an untouched patch's glob
    // matches. Only then: a reader may leave untouched patches of the base
    // unread when no target moved (the app reads only the touched ones).
    const targetsMoved = head.targets.join("\n") !== base.targets.join("\n");
    for (const [id, now] of targetsMoved ? head.patches : []) {
      const before = base.patches.get(id);
      if (before === undefined || touchedPatches.includes(id)) continue;
      for (const t of now) if (!before.includes(t)) add(t, `patch ${id} now targets it`);
    }
  }
  const targets = [...reasons.keys()].sort();
  return {
    targets,
    chunks: chunkTargets(targets, input.maxJobs ?? MAX_MATRIX_JOBS),
    reasons: Object.fromEntries(targets.map((t) => [t, reasons.get(t) ?? []])),
    patches: touchedPatches,
    removedTargets: base ? base.targets.filter((t) => !head.targets.includes(t)) : [],
    emptied: [...emptied].sort(),
  };
}

/** `targets` in consecutive slices of at most `max` (one GitHub matrix each). */
export function chunkTargets(targets: readonly string[], max: number): string[][] {
  if (!Number.isInteger(max) || max < 1) return [targets.slice()];
  const chunks: string[][] = [];
  for (let i = 0; i < targets.length; i += max) chunks.push(targets.slice(i, i + max));
  return chunks;
}

/** The distinct `<root>/<id>/…` ids among `paths`, sorted. */
function idsUnder(paths: readonly string[], root: string): string[] {
  const ids = new Set<string>();
  for (const p of paths) {
    const parts = p.split("/");
    if (parts.length >= 3 && parts[0] === root) ids.add(parts[1]);
  }
  return [...ids].sort();
}
