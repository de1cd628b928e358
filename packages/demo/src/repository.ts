/**
 * The demo's people and repository in the forge: alice maintains
 * acme/livepatches, bob writes a patch, carol (team acme/kernel-reviewers)
 * reviews. The repository starts as this checkout's tracked files (the
 * project, one kernel target, patches/ and the build workflow), reviewers
 * named in `.github/livepatch.yml`, and main protected by the app's safety
 * review.
 */
import { Octokit } from "@octokit/rest";
import { execa } from "execa";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { NO_SIGNAL_EXIT } from "./processes.js";
import type { ForgeInfo } from "./services.js";

export const OWNER = "acme";
export const REPO = "livepatches";
export const FULL = `${OWNER}/${REPO}`;
export const TEAM = "kernel-reviewers";
export const GATE = "livepatch / safety review";
export const PEOPLE = { maintainer: "alice", author: "bob", reviewer: "carol" } as const;
export type Person = keyof typeof PEOPLE;

/** The rollout rings (docs/operating-hosts.md, "Rings"): canary gets every release. */
export const RINGS_FILE = ".github/livepatch-rings.yml";
export const ringsYaml = (stable: number): string =>
  [
    "# Rollout rings (docs/app.md): every merge reaches canary; stable runs the",
    "# release named here until a reviewed pull request promotes it.",
    "rings:",
    "  - name: canary",
    "  - name: stable",
    `    release: ${String(stable)}`,
    "",
  ].join("\n");

const quiet = () => undefined;
const LOG = { debug: quiet, info: quiet, warn: quiet, error: quiet };

export function octokit(forge: ForgeInfo, token: string): Octokit {
  return new Octokit({ auth: token, baseUrl: forge.apiUrl, log: LOG });
}

export type Tokens = Record<Person, string>;

/** Users, their tokens, the org, the team, the repository, collaborators, the app's installation. */
export async function createAccounts(forge: ForgeInfo): Promise<Tokens> {
  const admin = octokit(forge, forge.creds.adminToken);
  const tokens: Partial<Tokens> = {};
  for (const [role, login] of Object.entries(PEOPLE) as [Person, string][]) {
    await admin.request("POST /admin/users", { login, email: `${login}@example.invalid` });
    const res = await admin.request("POST /admin/users/{username}/authorizations", {
      username: login,
    });
    tokens[role] = (res.data as { token: string }).token;
  }
  const all = tokens as Tokens;
  await admin.request("POST /admin/organizations", { login: OWNER, admin: PEOPLE.maintainer });
  const alice = octokit(forge, all.maintainer);
  await alice.rest.teams.create({ org: OWNER, name: TEAM });
  await alice.rest.teams.addOrUpdateMembershipForUserInOrg({
    org: OWNER,
    team_slug: TEAM,
    username: PEOPLE.reviewer,
  });
  await alice.rest.repos.createInOrg({ org: OWNER, name: REPO });
  for (const who of [PEOPLE.author, PEOPLE.reviewer]) {
    await alice.rest.repos.addCollaborator({
      owner: OWNER,
      repo: REPO,
      username: who,
      permission: "push",
    });
  }
  await admin.request("POST /_forge/apps/{app_id}/installations", {
    app_id: forge.creds.appId,
    account: OWNER,
  });
  return all;
}

const gitEnv = (who: string, home: string) => ({
  GIT_TERMINAL_PROMPT: "0",
  GIT_AUTHOR_NAME: who,
  GIT_AUTHOR_EMAIL: `${who}@example.invalid`,
  GIT_COMMITTER_NAME: who,
  GIT_COMMITTER_EMAIL: `${who}@example.invalid`,
  HOME: home,
});

/** git in `dir` as `who`, with a throwaway HOME and no credential helper. */
export function git(dir: string, who: string, ...args: string[]) {
  return execa("git", ["-c", "credential.helper=", ...args], {
    ...NO_SIGNAL_EXIT,
    cwd: dir,
    env: gitEnv(who, dir),
  });
}

export function pushUrl(forge: ForgeInfo, token: string): string {
  const u = new URL(`${forge.url}/${FULL}.git`);
  u.username = "x-access-token";
  u.password = token;
  return u.toString();
}

/**
 * A working copy of this checkout's tracked (and new, not ignored) files,
 * without the project's own CI workflow (it runs the project's test suite,
 * not live patches) and with `target` as its only kernel target (the
 * checkout's lab kernel would be compiled by the push run), committed as
 * alice.
 */
export async function seedWorkingCopy(root: string, dir: string, target: string): Promise<string> {
  const { stdout } = await execa(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    {
      ...NO_SIGNAL_EXIT,
      cwd: root,
    },
  );
  const files = stdout
    .split("\0")
    .filter(
      (f) =>
        f !== "" &&
        f !== ".github/workflows/ci.yml" &&
        (!f.startsWith("kernels/") || f.startsWith(`kernels/${target}/`)),
    );
  for (const f of files) {
    await mkdir(dirname(join(dir, f)), { recursive: true });
    // A tracked file deleted in the checkout is simply not part of the demo's repository.
    await copyFile(join(root, f), join(dir, f)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOENT") throw e;
    });
  }
  await writeFile(
    join(dir, ".github/livepatch.yml"),
    [
      "# Who may approve live patches (docs/app.md): the kernel reviewers team.",
      "reviewers:",
      "  users: []",
      `  teams: [${OWNER}/${TEAM}]`,
      "requiredApprovals: 1",
      "",
    ].join("\n"),
  );
  await writeFile(join(dir, RINGS_FILE), ringsYaml(1));
  await git(dir, PEOPLE.maintainer, "init", "-q", "-b", "main");
  await git(dir, PEOPLE.maintainer, "add", "-A");
  await git(
    dir,
    PEOPLE.maintainer,
    "commit",
    "-q",
    "-m",
    "livepatches: kernels, patches and the build workflow",
  );
  return (await git(dir, PEOPLE.maintainer, "rev-parse", "HEAD")).stdout.trim();
}

/** Merges into main need the app's lint, policy and safety review checks, pinned to the app, admins included. */
export async function protectMain(forge: ForgeInfo, tokens: Tokens): Promise<void> {
  await octokit(forge, tokens.maintainer).rest.repos.updateBranchProtection({
    owner: OWNER,
    repo: REPO,
    branch: "main",
    required_status_checks: {
      strict: false,
      contexts: [],
      // docs/app.md: lint and policy as well as the safety review, each pinned to the app.
      checks: [GATE, "livepatch / lint", "livepatch / policy"].map((context) => ({
        context,
        app_id: forge.creds.appId,
      })),
    },
    enforce_admins: true,
    required_pull_request_reviews: null,
    restrictions: null,
  });
}
