/**
 * The pieces of the pull-request loop on one machine: the forge in-process
 * (with its Actions runner and GitHub's schemas checking every answer), the
 * app as its own process (`node packages/app/dist/main.js`, Probot's environment),
 * git pushes over smart HTTP, and polling with a deadline.
 */
import { execa, type ResultPromise } from "execa";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { AppManifest, Forge, RegisteredApp } from "@livepatch-gitops/forge";
import { waitFor } from "@livepatch-gitops/demo/processes";

import { REPO_ROOT } from "./repo-root.js";

export { REPO_ROOT };

/** The demo test's data directory (its runner's tool cache is inside). */
export const E2E_DEMO_DATA = path.join(REPO_ROOT, ".cache/e2e-demo");
/**
 * The end-to-end runners' tool cache (lpctl's build per source tree): the
 * forge loop test's jobs and the demo's (`--tool-cache`) share it, so a test
 * run does `npm ci` and the build in a workflow job once, not once per file.
 * Outside the demo's data directory, which the demo checks nothing running
 * still names. Two jobs that build the same entry at once both succeed
 * (scripts/ci-tool.sh keeps the first).
 */
export const E2E_FORGE_TOOL_CACHE = path.join(REPO_ROOT, ".cache/e2e-forge/tool-cache");

// The demo's own helpers: a free loopback port, and polling with a deadline.
export { freePort, waitFor } from "@livepatch-gitops/demo/processes";

/** This repository's app.yml with its webhook pointed at `hookUrl`. */
export async function appManifest(hookUrl: string): Promise<AppManifest> {
  const m = parseYaml(await readFile(path.join(REPO_ROOT, "app.yml"), "utf8")) as AppManifest;
  return { ...m, hook_attributes: { url: hookUrl, active: true } };
}

export interface AppProcess {
  child: ResultPromise;
  logs: string[];
  stop(): Promise<void>;
}

/** `node packages/app/dist/main.js` with Probot's environment pointed at the forge. */
export async function startApp(opts: {
  forge: Forge;
  app: RegisteredApp;
  port: number;
  signingKeyFile: string;
  dir: string;
}): Promise<AppProcess> {
  const keyFile = path.join(opts.dir, "app-private-key.pem");
  await writeFile(keyFile, opts.app.privateKeyPem, { mode: 0o600 });
  const logs: string[] = [];
  const child = execa("node", [path.join(REPO_ROOT, "packages/app/dist/main.js")], {
    cwd: opts.dir,
    reject: false,
    all: true,
    env: {
      APP_ID: String(opts.app.appId),
      PRIVATE_KEY_PATH: keyFile,
      WEBHOOK_SECRET: opts.app.webhookSecret,
      GHE_HOST: new URL(opts.forge.url).host,
      GHE_PROTOCOL: "http",
      PORT: String(opts.port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      LPCTL_SIGNING_KEY: opts.signingKeyFile,
      LPCTL_APP_STATE_DIR: path.join(opts.dir, "app-state"),
      NODE_ENV: "production",
    },
  });
  child.all?.on("data", (b: Buffer) => logs.push(...b.toString("utf8").split("\n")));
  await waitFor(
    "the app to listen",
    async () => {
      if (child.exitCode !== null) throw new Error(`app exited:\n${logs.join("\n")}`);
      const res = await fetch(`http://127.0.0.1:${String(opts.port)}/`).catch(() => undefined);
      return res ? true : undefined;
    },
    60_000,
    250,
  );
  return {
    child,
    logs,
    async stop() {
      child.kill("SIGTERM");
      await child;
    },
  };
}

const GIT_ENV = {
  GIT_TERMINAL_PROMPT: "0",
  GIT_AUTHOR_NAME: "e2e",
  GIT_AUTHOR_EMAIL: "e2e@example.invalid",
  GIT_COMMITTER_NAME: "e2e",
  GIT_COMMITTER_EMAIL: "e2e@example.invalid",
};

/** git in `dir` with a throwaway HOME and no credential helpers. */
export function git(dir: string, ...args: string[]) {
  return execa("git", ["-c", "credential.helper=", "-c", "protocol.version=2", ...args], {
    cwd: dir,
    env: { ...GIT_ENV, HOME: dir },
  });
}

/** `http://x-access-token:TOKEN@host/owner/repo.git` */
export function authedUrl(forge: Forge, fullName: string, token: string): string {
  const u = new URL(`${forge.url}/${fullName}.git`);
  u.username = "x-access-token";
  u.password = token;
  return u.toString();
}

/**
 * A working copy holding this checkout's committed tree (what a team's
 * patches repository is: the project plus kernels/ and patches/), with
 * `.github/livepatch.yml` naming the reviewers.
 */
export async function seedWorkingCopy(livepatchYml: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-e2e-wc-"));
  const archive = await execa("git", ["archive", "--format=tar", "HEAD"], {
    cwd: REPO_ROOT,
    encoding: "buffer",
  });
  await execa("tar", ["-x", "-C", dir], { input: archive.stdout });
  await writeFile(path.join(dir, ".github/livepatch.yml"), livepatchYml);
  // This project's own CI workflow runs its whole test suite: a patches
  // repository made from this checkout has no use for it.
  await rm(path.join(dir, ".github/workflows/ci.yml"));
  await git(dir, "init", "-q", "-b", "main");
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "-m", "livepatches: kernels, patches and the build workflow");
  return dir;
}

/** Copies a patch directory (patch.yaml + *.patch) into the working copy's patches/. */
export async function addPatch(wc: string, fixtureDir: string, id: string): Promise<void> {
  await mkdir(path.join(wc, "patches"), { recursive: true });
  await cp(fixtureDir, path.join(wc, "patches", id), { recursive: true });
}
