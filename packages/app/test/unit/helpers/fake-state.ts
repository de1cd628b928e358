/**
 * The state of a small in-memory GitHub for the app's handler tests: one
 * repository with commits (whole trees), branches, pull requests, reviews,
 * check runs, comments, workflow runs with artifacts, releases and teams.
 * Routes (fake-routes.ts) read and change it as GitHub would.
 */
import { createHash } from "node:crypto";

export type Tree = Map<string, Uint8Array>;

export interface Commit {
  sha: string;
  parents: string[];
  tree: Tree;
  author: string;
}

export interface Pull {
  number: number;
  user: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  baseSha: string;
  state: "open" | "closed";
  mergedAt: string | null;
  mergeSha: string | null;
}

export interface ReviewRec {
  id: number;
  pull: number;
  user: string;
  state: string;
  commitId: string;
}

export interface CheckRunRec {
  id: number;
  headSha: string;
  name: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string };
  annotations: Record<string, unknown>[];
  detailsUrl?: string;
  externalId?: string;
  appId: number;
}

export interface CommentRec {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: "Bot" | "User" };
}

export interface RunRec {
  id: number;
  event: string;
  headBranch: string;
  headSha: string;
  path: string;
  status: string;
  conclusion: string | null;
  artifacts: {
    id: number;
    name: string;
    zip: Uint8Array;
    /** What the listing says (default: the zip's length). */
    listedSize?: number;
    /** A download body served instead of `zip` (a stream that never ends, say). */
    body?: () => ReadableStream<Uint8Array>;
  }[];
}

export interface AssetRec {
  id: number;
  name: string;
  state: string;
  bytes: Uint8Array;
  contentType: string;
}

export interface ReleaseRec {
  id: number;
  tag: string;
  commit: string;
  latest: boolean;
  assets: AssetRec[];
  /** Who created it (default: the app's bot). */
  author?: string;
}

export const OWNER = "acme";
export const REPO = "patches";
export const APP_ID = 4242;
export const BOT = "livepatch[bot]";

export class FakeState {
  commits = new Map<string, Commit>();
  branches = new Map<string, string>();
  defaultBranch = "main";
  pulls: Pull[] = [];
  reviews: ReviewRec[] = [];
  checkRuns: CheckRunRec[] = [];
  comments: CommentRec[] = [];
  runs: RunRec[] = [];
  releases: ReleaseRec[] = [];
  /** Tag name → commit (a release creates its tag; deleting the release keeps it). */
  tags = new Map<string, string>();
  teams = new Map<string, Set<string>>();
  /** "METHOD /path" of every request. */
  requests: string[] = [];
  #id = 100;

  nextId(): number {
    return ++this.#id;
  }

  /** A commit on top of `parent` (or a root) with `changes` (null deletes); returns its sha. */
  commit(
    parent: string | undefined,
    changes: Record<string, string | Uint8Array | null>,
    author = "alice",
  ): string {
    const tree: Tree = new Map(parent ? this.commits.get(parent)?.tree : []);
    for (const [path, value] of Object.entries(changes)) {
      if (value === null) tree.delete(path);
      else tree.set(path, typeof value === "string" ? new TextEncoder().encode(value) : value);
    }
    const sha = createHash("sha1")
      .update(`${this.nextId()}:${parent ?? ""}`)
      .digest("hex");
    this.commits.set(sha, { sha, parents: parent ? [parent] : [], tree, author });
    return sha;
  }

  /** Is `ancestor` reachable from `sha`? */
  isAncestor(ancestor: string, sha: string): boolean {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const s = stack.pop() as string;
      if (s === ancestor) return true;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(this.commits.get(s)?.parents ?? []));
    }
    return false;
  }

  /** Resolves a branch name or a sha. */
  resolve(ref: string): string | undefined {
    return this.branches.get(ref) ?? (this.commits.has(ref) ? ref : undefined);
  }

  /** Paths that differ between two commits. */
  changedPaths(base: string, head: string): { filename: string; status: string }[] {
    const a: Tree = this.commits.get(base)?.tree ?? new Map<string, Uint8Array>();
    const b: Tree = this.commits.get(head)?.tree ?? new Map<string, Uint8Array>();
    const out: { filename: string; status: string }[] = [];
    for (const [p, v] of b) {
      const old = a.get(p);
      if (old === undefined) out.push({ filename: p, status: "added" });
      else if (Buffer.compare(Buffer.from(old), Buffer.from(v)) !== 0)
        out.push({ filename: p, status: "modified" });
    }
    for (const p of a.keys()) if (!b.has(p)) out.push({ filename: p, status: "removed" });
    return out.sort((x, y) => (x.filename < y.filename ? -1 : 1));
  }
}
