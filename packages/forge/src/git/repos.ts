/**
 * Bare repositories on disk, one per repository id (`<root>/<id>.git`), so
 * a rename never moves files. Each gets `http.receivepack` (pushes over
 * smart HTTP) and the forge's pre-receive hook (protected branches).
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runGit, type GitResult } from "./run-git.js";
import { PRE_RECEIVE_HOOK } from "./pre-receive.js";

export const ZERO_SHA = "0000000000000000000000000000000000000000";

export class GitRepos {
  private readonly queues = new Map<number, Promise<unknown>>();
  /** Commit objects are immutable: a full sha once found stays found (per repository). */
  private readonly knownCommits = new Map<number, Set<string>>();
  /** Memo for callers reading immutable data about a commit (bounded, oldest dropped first). */
  readonly commitMemo = new Map<string, unknown>();

  constructor(readonly root: string) {}

  /** Runs `work` after earlier work queued for the same repository (push events stay in order). */
  serial<T>(repoId: number, work: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(repoId) ?? Promise.resolve();
    const next = prev.then(work, work);
    this.queues.set(
      repoId,
      next.catch(() => undefined),
    );
    return next;
  }

  dir(repoId: number): string {
    return join(this.root, `${repoId}.git`);
  }

  async init(repoId: number, defaultBranch: string): Promise<void> {
    const dir = this.dir(repoId);
    await mkdir(this.root, { recursive: true });
    await runGit(dir, ["init", "--bare", "--quiet", `--initial-branch=${defaultBranch}`]);
    await runGit(dir, ["config", "http.receivepack", "true"]);
    await runGit(dir, ["config", "receive.fsckObjects", "true"]);
    await writeFile(join(dir, "hooks", "pre-receive"), PRE_RECEIVE_HOOK);
    await chmod(join(dir, "hooks", "pre-receive"), 0o755);
  }

  run(
    repoId: number,
    args: readonly string[],
    opts?: Parameters<typeof runGit>[2],
  ): Promise<GitResult> {
    return runGit(this.dir(repoId), args, opts);
  }

  /** Every ref and the object it points to. */
  async refs(repoId: number): Promise<Map<string, string>> {
    const out = await this.run(repoId, ["for-each-ref", "--format=%(refname) %(objectname)"]);
    const refs = new Map<string, string>();
    for (const line of out.stdout.split("\n")) {
      const [name, sha] = line.split(" ");
      if (name && sha) refs.set(name, sha);
    }
    return refs;
  }

  /** Resolves a ref, branch, tag or sha to a commit sha; undefined when unknown. */
  async resolve(repoId: number, ref: string): Promise<string | undefined> {
    if (ref.startsWith("-") || ref.includes("..")) return undefined;
    // A git process per lookup costs ~10 ms; a known commit sha needs none.
    if (this.knownCommits.get(repoId)?.has(ref)) return ref;
    const sha = (await this.revParse(repoId, qualified(ref))) ?? (await this.revParse(repoId, ref));
    if (sha === undefined) return undefined;
    if (ref === sha) {
      const known = this.knownCommits.get(repoId) ?? new Set<string>();
      this.knownCommits.set(repoId, known.add(sha));
    }
    return sha;
  }

  private async revParse(repoId: number, ref: string | undefined): Promise<string | undefined> {
    if (ref === undefined) return undefined;
    const r = await this.run(repoId, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      allowFail: true,
    });
    const sha = r.stdout.trim();
    return r.exitCode === 0 && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
  }

  /** `read()` once per key: for facts about a commit that can never change. */
  async memo<T>(key: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
    if (this.commitMemo.has(key)) return this.commitMemo.get(key) as T;
    const value = await read();
    if (value === undefined) return undefined;
    if (this.commitMemo.size >= 4096) {
      const oldest = this.commitMemo.keys().next().value;
      if (oldest !== undefined) this.commitMemo.delete(oldest);
    }
    this.commitMemo.set(key, value);
    return value;
  }
}

/**
 * A short name is a branch first. git's own order puts refs/tags/<name>
 * before refs/heads/<name>, so a tag named `main` would change what
 * `compare/main...<sha>` or `?ref=main` mean; `tags/<name>` still names the tag.
 */
function qualified(ref: string): string | undefined {
  return ref.startsWith("refs/") || /^[0-9a-f]{40}$/.test(ref) ? undefined : `refs/heads/${ref}`;
}
