import type { WorkflowEvent } from "./contract.js";
import { matchedByAny, selectedBy } from "./filter-pattern.js";
import { parseOn } from "./workflow.js";

interface Filters {
  branches?: string[];
  "branches-ignore"?: string[];
  tags?: string[];
  "tags-ignore"?: string[];
  paths?: string[];
  "paths-ignore"?: string[];
  types?: string[];
}

/** GitHub's activity types when `types:` is absent (all others run for any type). */
const DEFAULT_TYPES: Partial<Record<string, readonly string[]>> = {
  pull_request: ["opened", "synchronize", "reopened"],
};

/**
 * Whether the workflow's `on:` selects `event`: event name, activity types,
 * branch or tag filters, and path filters on the changed files. A file whose
 * `on:` cannot be read selects nothing; one with other errors still selects,
 * so its run fails visibly, as on GitHub.
 */
export function workflowTriggers(workflowText: string, event: WorkflowEvent): boolean {
  const on = parseOn("workflow", workflowText);
  if (on === undefined || !Object.hasOwn(on, event.name)) return false;
  const filters = (on[event.name] ?? {}) as Filters;
  return (
    typesMatch(filters, event) &&
    refMatches(filters, event) &&
    pathsMatch(filters, event.changedFiles)
  );
}

function typesMatch(filters: Filters, event: WorkflowEvent): boolean {
  const types = filters.types ?? DEFAULT_TYPES[event.name];
  if (types === undefined || event.action === undefined) return true;
  return types.includes(event.action);
}

// push: a tag push is filtered by tags/tags-ignore, a branch push by
// branches/branches-ignore; filtering only one kind excludes the other kind.
function refMatches(filters: Filters, event: WorkflowEvent): boolean {
  const ref = typeof event.payload.ref === "string" ? event.payload.ref : "";
  const isTag = event.name === "push" && ref.startsWith("refs/tags/");
  const name = isTag ? ref.slice("refs/tags/".length) : event.branch;
  const [incl, excl, otherIncl, otherExcl] = isTag
    ? [filters.tags, filters["tags-ignore"], filters.branches, filters["branches-ignore"]]
    : [filters.branches, filters["branches-ignore"], filters.tags, filters["tags-ignore"]];
  if (incl !== undefined) return selectedBy(incl, name);
  if (excl !== undefined) return !matchedByAny(excl, name);
  return event.name !== "push" || (otherIncl === undefined && otherExcl === undefined);
}

// Unknown changed files (a new branch, an oversized diff) run the workflow,
// as GitHub does when it cannot compute the diff.
function pathsMatch(filters: Filters, changed: readonly string[] | undefined): boolean {
  if (changed === undefined) return true;
  if (filters.paths !== undefined) {
    const paths = filters.paths;
    return changed.some((f) => selectedBy(paths, f));
  }
  if (filters["paths-ignore"] !== undefined) {
    const ignore = filters["paths-ignore"];
    return changed.some((f) => !matchedByAny(ignore, f));
  }
  return true;
}
