/**
 * Finds the path template of GitHub's description that a concrete request
 * path belongs to, the way GitHub's router does: a literal segment wins over
 * a parameter (`/releases/latest` is not release id "latest"), and a
 * parameter marked `x-multi-segment` (a ref, a branch, a content path) may
 * span several segments, taking as few as the rest of the template allows.
 */

/** One operation's place in the description. */
export interface RouteEntry {
  method: string;
  template: string;
  /** Path parameters GitHub marks `x-multi-segment`: they may contain `/`. */
  multiSegment: readonly string[];
}

export interface RouteMatch<E extends RouteEntry> {
  entry: E;
  params: Record<string, string>;
}

type Segment =
  | { kind: "literal"; text: string }
  | { kind: "param"; name: string; multi: boolean }
  | { kind: "pattern"; names: string[]; regex: RegExp };

interface Compiled<E> {
  entry: E;
  segments: Segment[];
}

/** Rank of what consumed a concrete segment; lower is more specific. */
const RANK = { literal: 0, pattern: 1, param: 2, multi: 3 } as const;

export class PathIndex<E extends RouteEntry> {
  private readonly byMethod = new Map<string, Compiled<E>[]>();

  constructor(entries: Iterable<E>) {
    for (const entry of entries) {
      const method = entry.method.toLowerCase();
      const list = this.byMethod.get(method) ?? [];
      list.push({ entry, segments: compileTemplate(entry.template, entry.multiSegment) });
      this.byMethod.set(method, list);
    }
  }

  /** The most specific entry for `method` and `path` (query string ignored), if any. */
  match(method: string, path: string): RouteMatch<E> | undefined {
    const concrete = splitPath(path);
    let best: { key: number[]; match: RouteMatch<E> } | undefined;
    for (const candidate of this.byMethod.get(method.toLowerCase()) ?? []) {
      const found = matchSegments(candidate.segments, concrete, 0, 0);
      if (found === undefined) continue;
      if (best === undefined || compareKeys(found.key, best.key) < 0) {
        best = { key: found.key, match: { entry: candidate.entry, params: found.params } };
      }
    }
    return best?.match;
  }

  /** True when some method has an entry for this path (for "method not documented"). */
  hasPath(path: string): boolean {
    const concrete = splitPath(path);
    for (const list of this.byMethod.values()) {
      if (list.some((c) => matchSegments(c.segments, concrete, 0, 0) !== undefined)) return true;
    }
    return false;
  }
}

function splitPath(path: string): string[] {
  const query = path.indexOf("?");
  const bare = query === -1 ? path : path.slice(0, query);
  return segmentsOf(bare);
}

// `/` (GitHub's root endpoint) has no segments, not one empty one.
function segmentsOf(path: string): string[] {
  return path === "/" ? [] : path.split("/").slice(1);
}

function compileTemplate(template: string, multi: readonly string[]): Segment[] {
  return segmentsOf(template).map((text): Segment => {
    const whole = /^\{([^}]+)\}$/.exec(text);
    if (whole?.[1] !== undefined) {
      return { kind: "param", name: whole[1], multi: multi.includes(whole[1]) };
    }
    if (!text.includes("{")) return { kind: "literal", text };
    // A segment mixing text and parameters, e.g. `{base}...{head}`.
    const names: string[] = [];
    const source = text.replace(/\{([^}]+)\}|[^{]+/g, (part, name: string | undefined) => {
      if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
      names.push(name);
      return "(.+?)";
    });
    return { kind: "pattern", names, regex: new RegExp(`^${source}$`) };
  });
}

interface Found {
  key: number[];
  params: Record<string, string>;
}

// Backtracking over multi-segment parameters; templates have at most one, so
// the search stays linear in practice.
function matchSegments(tpl: Segment[], path: string[], ti: number, pi: number): Found | undefined {
  if (ti === tpl.length) return pi === path.length ? { key: [], params: {} } : undefined;
  const segment = tpl[ti];
  const text = path[pi];
  // A trailing content path may be empty: GitHub serves `/contents` and
  // `/contents/` as the repository's root directory.
  if (
    segment?.kind === "param" &&
    segment.multi &&
    segment.name === "path" &&
    ti === tpl.length - 1
  ) {
    const rest = path.slice(pi);
    if (rest.length === 0 || (rest.length === 1 && rest[0] === "")) {
      return { key: [RANK.multi], params: { [segment.name]: "" } };
    }
  }
  if (segment === undefined || text === undefined || text === "") return undefined;
  if (segment.kind === "literal") {
    if (segment.text !== text) return undefined;
    return prepend(RANK.literal, {}, matchSegments(tpl, path, ti + 1, pi + 1));
  }
  if (segment.kind === "pattern") {
    const groups = segment.regex.exec(text);
    if (groups === null) return undefined;
    const params = Object.fromEntries(segment.names.map((n, i) => [n, groups[i + 1] ?? ""]));
    return prepend(RANK.pattern, params, matchSegments(tpl, path, ti + 1, pi + 1));
  }
  if (!segment.multi) {
    return prepend(RANK.param, { [segment.name]: text }, matchSegments(tpl, path, ti + 1, pi + 1));
  }
  let best: Found | undefined;
  for (let end = pi + 1; end <= path.length; end++) {
    const taken = path.slice(pi, end);
    if (taken.includes("")) break;
    const rest = matchSegments(tpl, path, ti + 1, end);
    if (rest === undefined) continue;
    const found = {
      key: [...taken.map(() => RANK.multi), ...rest.key],
      params: { [segment.name]: taken.join("/"), ...rest.params },
    };
    if (best === undefined || compareKeys(found.key, best.key) < 0) best = found;
  }
  return best;
}

function prepend(rank: number, params: Record<string, string>, rest: Found | undefined) {
  return rest === undefined
    ? undefined
    : { key: [rank, ...rest.key], params: { ...params, ...rest.params } };
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
