/** Real git against the forge: a temp HOME, no credential helper, the token in the URL. */
import { mkdtemp, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";

export interface GitClient {
  dir: string;
  git(...args: string[]): Promise<string>;
  /** Like git() but resolves with the exit code and stderr instead of throwing. */
  tryGit(...args: string[]): Promise<{ exitCode: number; stderr: string }>;
  write(file: string, text: string): Promise<void>;
  commitAll(message: string): Promise<string>;
}

export function authUrl(cloneUrl: string, token: string): string {
  const u = new URL(cloneUrl);
  u.username = "x-access-token";
  u.password = token;
  return u.toString();
}

export async function cloneRepo(cloneUrl: string, token?: string): Promise<GitClient> {
  const home = await mkdtemp(path.join(os.tmpdir(), "forge-git-home-"));
  const dir = path.join(home, "work");
  const env = {
    HOME: home,
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Alice",
    GIT_AUTHOR_EMAIL: "alice@forge.local",
    GIT_COMMITTER_NAME: "Alice",
    GIT_COMMITTER_EMAIL: "alice@forge.local",
  };
  const base = ["-c", "credential.helper=", "-c", "init.defaultBranch=main"];
  const run = (cwd: string, args: string[]) =>
    execa("git", [...base, ...args], { cwd, env, reject: false });
  const url = token ? authUrl(cloneUrl, token) : cloneUrl;
  const cloned = await run(home, ["clone", "--quiet", url, dir]);
  if (cloned.exitCode !== 0) throw new TypeError(`git clone failed: ${cloned.stderr}`);
  const client: GitClient = {
    dir,
    async git(...args) {
      const r = await run(dir, args);
      if (r.exitCode !== 0) throw new TypeError(`git ${args.join(" ")} failed: ${r.stderr}`);
      return r.stdout.trim();
    },
    async tryGit(...args) {
      const r = await run(dir, args);
      return { exitCode: r.exitCode ?? 1, stderr: r.stderr };
    },
    async write(file, text) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    },
    async commitAll(message) {
      await client.git("add", "-A");
      await client.git("commit", "--quiet", "-m", message);
      return client.git("rev-parse", "HEAD");
    },
  };
  return client;
}
