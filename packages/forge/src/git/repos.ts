/**
 * Bare repositories on disk, one per repository id (`<root>/<id>.git`), so
 * a rename never moves files. Each gets `http.receivepack` (pushes over
 * smart HTTP) and the forge's pre-receive hook (protected branches).
 *
 * Every git read goes through one memo (a process spawn costs ~10 ms of CPU,
 * and the same reads repeat for every event and API call): answers that are
 * a function of full object ids are kept for good; answers that read refs
 * are kept only for the repository's current ref generation, which every
 * change of refs or objects moves on (see `run` and `writing`).
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runGit, type GitResult } from "./run-git.js";
import { PRE_RECEIVE_HOOK } from "./pre-receive.js";

export const ZERO_SHA = "0000000000000000000000000000000000000000";

/** Bounded memo, least recently used dropped first; values over `maxEntryBytes` are not kept. */
export class GitMemo {
  private readonly entries = new Map<string, { value: unknown; bytes: number }>();
  private held = 0;

  constructor(
    readonly maxEntries = 8192,
    readonly maxBytes = 64 * 1024 * 1024,
    readonly maxEntryBytes = 1024 * 1024,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.held;
  }

  get(key: string): { value: unknown } | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  set(key: string, value: unknown, bytes: number): void {
    if (bytes > this.maxEntryBytes) return;
    this.drop(key);
    this.entries.set(key, { value, bytes });
    this.held += bytes;
    while (this.entries.size > this.maxEntries || this.held > this.maxBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    this.entries.delete(key);
    this.held -= e.bytes;
  }
}

/**
 * What a git command's answer depends on: `objects` (full object ids only:
 * never changes), `refs` (refs and objects: changes with them), `other`
 * (a read this memo does not understand: never kept) or `write` (anything
 * that is not a known read: it may change refs).
 */
export type GitReadKind = "objects" | "refs" | "other" | "write";

const READS = new Set([
  "cat-file",
  "diff",
  "diff-tree",
  "for-each-ref",
  "log",
  "ls-tree",
  "merge-base",
  "rev-list",
  "rev-parse",
]);
/** Options whose effect depends on nothing but the arguments. */
const PURE_OPTION =
  /^(?:-[1zrtM]|--(?:long|name-only|name-status|numstat|raw|abbrev=40|no-color|no-ext-diff|root|no-commit-id|count|verify|quiet|is-ancestor|not|max-count=\d+))$/;
/**
 * `log --format` placeholders that read more than the commit: refs (%d, %D,
 * %S), notes (%N: refs/notes), the mailmap (%aN, %cE, …: HEAD:.mailmap in a
 * bare repository), signatures (%G?: a keyring), and %(…).
 */
const IMPURE_PLACEHOLDER = /%(?:[dDSNG(]|[ac][NEL])/;
const CAT_FILE_TYPES = new Set(["blob", "tree", "commit", "tag"]);
const SHA = "[0-9a-f]{40}(?:\\^\\{(?:commit|tree)\\}|\\^\\d*|~\\d*)*";
const SHA_REV = new RegExp(`^${SHA}(?:\\.\\.${SHA})?$`);
const SHA_PATH = new RegExp(`^${SHA}:`);

/** Classifies `git <args>` (see GitReadKind). */
export function gitReadKind(args: readonly string[]): GitReadKind {
  const [cmd = "", ...rest] = args;
  if (!READS.has(cmd)) return "write";
  if (cmd === "for-each-ref")
    return rest.every((a) => a.startsWith("--format=")) ? "refs" : "other";
  let revs = 0;
  let refs = false;
  for (const [i, arg] of rest.entries()) {
    if (arg === "--") break;
    if (arg.startsWith("--format=")) {
      if (cmd !== "log" || IMPURE_PLACEHOLDER.test(arg)) return "other";
    } else if (arg.startsWith("-")) {
      if (!PURE_OPTION.test(arg)) return "other";
    } else if (cmd === "cat-file" && i === 0 && CAT_FILE_TYPES.has(arg)) {
      continue;
    } else {
      revs += 1;
      // git splits `a..b` before it reads `<rev>:<path>`, so a path must not hold "..".
      const sha = SHA_REV.test(arg) || (SHA_PATH.test(arg) && !arg.includes(".."));
      if (!sha) refs = true;
    }
  }
  if (revs === 0) return "other";
  return refs ? "refs" : "objects";
}

export class GitRepos {
  private readonly queues = new Map<number, Promise<unknown>>();
  /** Successful reads (see GitReadKind), keyed by repository and arguments. */
  readonly memo = new GitMemo();
  /** Moves on at the start and the end of every change of a repository's refs or objects. */
  private readonly generations = new Map<number, number>();
  /** Changes under way per repository: while any runs, ref reads are neither served nor kept. */
  private readonly writers = new Map<number, number>();

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

  /**
   * Runs `work`, which may change the repository's refs or objects (a push
   * through git http-backend): cached ref answers stop counting when it starts
   * and when it ends. `run` does this itself for every command that is not a read.
   */
  async writing<T>(repoId: number, work: () => Promise<T>): Promise<T> {
    this.writers.set(repoId, (this.writers.get(repoId) ?? 0) + 1);
    this.bump(repoId);
    try {
      return await work();
    } finally {
      this.bump(repoId);
      this.writers.set(repoId, (this.writers.get(repoId) ?? 1) - 1);
    }
  }

  private bump(repoId: number): void {
    this.generations.set(repoId, (this.generations.get(repoId) ?? 0) + 1);
  }

  async init(repoId: number, defaultBranch: string): Promise<void> {
    const dir = this.dir(repoId);
    await mkdir(this.root, { recursive: true });
    await this.writing(repoId, async () => {
      await runGit(dir, ["init", "--bare", "--quiet", `--initial-branch=${defaultBranch}`]);
      await runGit(dir, ["config", "http.receivepack", "true"]);
      await runGit(dir, ["config", "receive.fsckObjects", "true"]);
      await writeFile(join(dir, "hooks", "pre-receive"), PRE_RECEIVE_HOOK);
      await chmod(join(dir, "hooks", "pre-receive"), 0o755);
    });
  }

  run(
    repoId: number,
    args: readonly string[],
    opts?: Parameters<typeof runGit>[2],
  ): Promise<GitResult> {
    const exec = () => runGit(this.dir(repoId), args, opts);
    if (opts?.input !== undefined || opts?.env !== undefined) {
      return gitReadKind(args) === "write" ? this.writing(repoId, exec) : exec();
    }
    return this.read(repoId, args, "text", exec, (r) =>
      r.exitCode === 0 ? r.stdout.length : undefined,
    );
  }

  /**
   * `exec()` (which runs `git <args>`, its answer in the shape `form` names)
   * through the memo: the answer is kept when `bytes(answer)` is a size,
   * under the rules of `gitReadKind(args)`.
   */
  async read<T>(
    repoId: number,
    args: readonly string[],
    form: string,
    exec: () => Promise<T>,
    bytes: (answer: T) => number | undefined,
  ): Promise<T> {
    const kind = gitReadKind(args);
    if (kind === "write") return this.writing(repoId, exec);
    if (kind === "other" || (this.writers.get(repoId) ?? 0) > 0) return exec();
    const generation = this.generations.get(repoId) ?? 0;
    const scope = kind === "refs" ? `g${generation}` : "o";
    const key = `${repoId}\0${scope}\0${form}\0${args.join("\0")}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit.value as T;
    const answer = await exec();
    const size = bytes(answer);
    const unchanged =
      kind === "objects" ||
      ((this.generations.get(repoId) ?? 0) === generation && !this.writers.get(repoId));
    if (size !== undefined && unchanged) this.memo.set(key, answer, size + key.length);
    return answer;
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
    return (await this.revParse(repoId, qualified(ref))) ?? (await this.revParse(repoId, ref));
  }

  private async revParse(repoId: number, ref: string | undefined): Promise<string | undefined> {
    if (ref === undefined) return undefined;
    const r = await this.run(repoId, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      allowFail: true,
    });
    const sha = r.stdout.trim();
    return r.exitCode === 0 && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
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
