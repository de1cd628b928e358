/** Setup shared by the checks/releases/Actions tests: a forge held to the schemas, a pushed commit. */
import { execa } from "execa";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ForgeOptions } from "@livepatch-gitops/forge";
import { conformance, type Conformance } from "./forge-areas-conformance.js";
import {
  installTestApp,
  startReceiver,
  startTestForge,
  type InstalledApp,
  type Received,
  type TestForge,
} from "./test-forge.js";

export interface AreasSetup {
  t: TestForge;
  conf: Conformance;
  hooks: Awaited<ReturnType<typeof startReceiver>>;
  app: InstalledApp;
  stop(): Promise<void>;
}

export async function startAreas(
  opts: Partial<ForgeOptions> = {},
  events: string[] = [
    "check_run",
    "check_suite",
    "status",
    "release",
    "workflow_run",
    "repository_dispatch",
    "workflow_dispatch",
    "push",
  ],
): Promise<AreasSetup> {
  const conf = conformance();
  const t = await startTestForge({
    onResponse: (r) => conf.onResponse(r),
    onWebhook: (e, a, p) => conf.onWebhook(e, a, p),
    ...opts,
  });
  const hooks = await startReceiver();
  const app = await installTestApp(t.forge, hooks.url, {
    events,
    permissions: {
      contents: "write",
      checks: "write",
      statuses: "write",
      actions: "write",
      pull_requests: "write",
    },
  });
  return {
    t,
    conf,
    hooks,
    app,
    async stop() {
      await t.stop();
      await hooks.close();
    },
  };
}

const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  GIT_AUTHOR_NAME: "Alice",
  GIT_AUTHOR_EMAIL: "alice@forge.local",
  GIT_COMMITTER_NAME: "Alice",
  GIT_COMMITTER_EMAIL: "alice@forge.local",
};

/** Commits `files` on top of `branch` (or as a root commit) and pushes; returns the new sha. */
export async function pushFiles(
  webUrl: string,
  token: string,
  fullName: string,
  files: Record<string, string>,
  branch = "main",
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "forge-push-"));
  const remote = `${webUrl.replace("://", `://x-access-token:${token}@`)}/${fullName}.git`;
  const git = (...args: string[]) => execa("git", args, { cwd: dir, env: GIT_ENV });
  try {
    await git("init", "-q", "-b", branch);
    const fetched = await execa("git", ["fetch", "-q", remote, branch], {
      cwd: dir,
      env: GIT_ENV,
      reject: false,
    });
    if (fetched.exitCode === 0) await git("reset", "-q", "--hard", "FETCH_HEAD");
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), text);
    }
    await git("add", "-A");
    await git("commit", "-q", "-m", `update ${Object.keys(files).join(", ")}`);
    await git("push", "-q", remote, `HEAD:refs/heads/${branch}`);
    return (await git("rev-parse", "HEAD")).stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Webhook deliveries received for `event` (optionally one action), parsed. */
export function received(
  hooks: { received: Received[] },
  event: string,
  action?: string,
): Record<string, unknown>[] {
  return hooks.received
    .filter((r) => r.headers["x-github-event"] === event)
    .map((r) => JSON.parse(r.body) as Record<string, unknown>)
    .filter((p) => action === undefined || p.action === action);
}
