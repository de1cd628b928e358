/**
 * A git working copy of the test repository: this project's kernels/ and
 * patches/ plus a `.github/livepatch.yml`, committed under any identity and
 * pushed with any account's token (the pusher is whoever's token it is).
 */
import { execa } from "execa";
import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../../../../..");

/** Who a commit says wrote and committed it: e-mail text, which anyone can type. */
export interface Identity {
  name: string;
  email: string;
}

export interface WorkCopy {
  dir: string;
  git(...args: string[]): Promise<string>;
  /** Writes `files` and commits them as `author` (and `committer`, default the author); returns the sha. */
  commit(files: Record<string, string>, author: Identity, committer?: Identity): Promise<string>;
  /** `n` empty commits by `author`, in one git process per commit but no file writes. */
  emptyCommits(n: number, author: Identity): Promise<void>;
  /** Pushes HEAD to `branch` with `token`'s account. */
  push(branch: string, token: string, force?: boolean): Promise<void>;
}

export async function workCopy(cloneUrl: string, livepatchYml: string): Promise<WorkCopy> {
  const home = await mkdtemp(path.join(os.tmpdir(), "lp-gate-wc-"));
  const dir = path.join(home, "work");
  await mkdir(dir);
  for (const top of ["kernels", "patches"])
    await cp(path.join(ROOT, top), path.join(dir, top), { recursive: true });
  await mkdir(path.join(dir, ".github"));
  await writeFile(path.join(dir, ".github/livepatch.yml"), livepatchYml);
  await writeFile(path.join(dir, "README.md"), "live patches\n");
  const base = { HOME: home, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1" };
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const r = await execa("git", ["-c", "credential.helper=", ...args], {
      cwd: dir,
      env: { ...base, ...env },
      reject: false,
    });
    if (r.exitCode !== 0) throw new Error(`git ${args[0] ?? ""} failed: ${r.stderr}`);
    return r.stdout.trim();
  };
  const wc: WorkCopy = {
    dir,
    git: (...args) => run(args),
    async commit(files, author, committer = author) {
      for (const [file, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), text);
      }
      await run(["add", "-A"]);
      await run(["commit", "-q", "--allow-empty", "-m", `change by ${author.name}`], {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: committer.name,
        GIT_COMMITTER_EMAIL: committer.email,
      });
      return run(["rev-parse", "HEAD"]);
    },
    async emptyCommits(n, author) {
      const script = `for i in $(seq ${String(n)}); do git commit -q --allow-empty -m "step $i"; done`;
      await execa("bash", ["-c", script], {
        cwd: dir,
        env: {
          ...base,
          GIT_AUTHOR_NAME: author.name,
          GIT_AUTHOR_EMAIL: author.email,
          GIT_COMMITTER_NAME: author.name,
          GIT_COMMITTER_EMAIL: author.email,
        },
      });
    },
    async push(branch, token, force = false) {
      const u = new URL(cloneUrl);
      u.username = "x-access-token";
      u.password = token;
      await run([
        "push",
        "-q",
        ...(force ? ["-f"] : []),
        u.toString(),
        `HEAD:refs/heads/${branch}`,
      ]);
    },
  };
  await run(["init", "-q", "-b", "main"]);
  return wc;
}
