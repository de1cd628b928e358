/**
 * Runs git with an argument array against one bare repository, isolated
 * from the user's and the system's git configuration.
 */
import { execa } from "execa";
import { ForgeError } from "../errors.js";

export interface GitResult {
  stdout: string;
  exitCode: number;
}

export const GIT_ENV: Record<string, string> = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
  // A pushed refs/replace/<sha> would change what a sha means to git (GitHub
  // ignores replace refs), and GitRepos keeps answers about shas for good.
  GIT_NO_REPLACE_OBJECTS: "1",
};

/** Runs `git <args>` in `gitDir`; throws FORGE_GIT_FAILED unless `allowFail`. */
export async function runGit(
  gitDir: string,
  args: readonly string[],
  opts: { input?: string; env?: Record<string, string>; allowFail?: boolean } = {},
): Promise<GitResult> {
  const r = await execa("git", [`--git-dir=${gitDir}`, ...args], {
    env: { ...GIT_ENV, ...opts.env },
    extendEnv: true,
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 256 * 1024 * 1024,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });
  const exitCode = r.exitCode ?? 1;
  if (exitCode !== 0 && !opts.allowFail) {
    throw new ForgeError(
      "FORGE_GIT_FAILED",
      `git ${args[0] ?? ""} failed: ${String(r.stderr).trim()}`,
    );
  }
  return { stdout: String(r.stdout), exitCode };
}
