/**
 * The demo's two servers as their own processes, started the way an
 * operator would: `livepatch-forge --actions` (the GitHub stand-in plus a
 * self-hosted runner on this machine) and `node packages/app/dist/main.js` (the
 * Probot app) with Probot's environment pointed at the forge.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import type { AppCredentials } from "@livepatch-gitops/forge/app-setup";
import { freePort, waitFor, type Processes } from "./processes.js";

export interface DemoPaths {
  /** This checkout. */
  root: string;
  /** This run's state (forge data, logs, host state); emptied at the start. */
  run: string;
  /** Kept across runs: the signing key, the runner's tool cache, the module cache. */
  keep: string;
  /** The runner's tool cache: <keep>/tool-cache unless another runner's is shared (--tool-cache). */
  toolCache: string;
  kernelCache: string;
  toolsBin: string;
}

export interface ForgeInfo {
  url: string;
  apiUrl: string;
  port: number;
  creds: AppCredentials;
  appPort: number;
}

const node = process.execPath;

/** `livepatch-forge --actions` with the app registered from app.yml, its webhook at `appPort`. */
export async function startForgeProcess(procs: Processes, p: DemoPaths): Promise<ForgeInfo> {
  const appPort = await freePort();
  const manifest = parse(await readFile(join(p.root, "app.yml"), "utf8")) as Record<
    string,
    unknown
  >;
  manifest.hook_attributes = { url: `http://127.0.0.1:${String(appPort)}/api/github/webhooks` };
  const manifestFile = join(p.run, "app.yml");
  const { toolCache } = p;
  await writeFile(manifestFile, stringify(manifest));
  let first: string | undefined;
  const child = procs.spawn(
    "forge",
    node,
    [
      join(p.root, "packages/forge/dist/cli/main.js"),
      "--data",
      join(p.run, "forge"),
      "--app-manifest",
      manifestFile,
      "--json",
      "--actions",
      // The self-hosted runner's .env: the kernel cache the demo prepared,
      // kpatch-build, and caches for lpctl's own build and for modules.
      "--runner-env",
      `LPCTL_CACHE_DIR=${p.kernelCache}`,
      "--runner-env",
      `PATH=${p.toolsBin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      "--runner-env",
      `RUNNER_TOOL_CACHE=${toolCache}`,
      "--runner-env",
      "LPCTL_REUSE_MODULES=1",
      // Both caches are shared by every job, so they are runner caches: the
      // push builds (the ones the app signs) write them, a pull request's
      // build gets a copy-on-write view. Module reuse is safe with that.
      "--runner-cache",
      p.kernelCache,
      "--runner-cache",
      toolCache,
      // No job sees the demo's state: the signing key, the people's tokens,
      // the app's log (the forge's data directory, inside, is hidden anyway).
      "--runner-hide",
      p.keep,
    ],
    {
      logFile: join(p.run, "forge.log"),
      cwd: p.run,
      onLine: (l) => {
        first ??= l;
      },
    },
  );
  const line = await waitFor(
    "the forge to start",
    () => {
      if (child.process.exitCode !== null) {
        throw new LpctlError("DEMO_FAILED", `the forge exited; see ${child.logFile}`);
      }
      return Promise.resolve(first);
    },
    60_000,
    100,
  );
  const info = JSON.parse(line) as { url: string; apiUrl: string; credentialsFile: string };
  const creds = JSON.parse(await readFile(info.credentialsFile, "utf8")) as AppCredentials;
  return {
    url: info.url,
    apiUrl: info.apiUrl,
    port: Number(new URL(info.url).port),
    creds,
    appPort,
  };
}

/** The Probot app (`npm start`), signing with the demo key; ready when it answers HTTP. */
export async function startAppProcess(
  procs: Processes,
  p: DemoPaths,
  forge: ForgeInfo,
  signingKey: string,
): Promise<string> {
  const child = procs.spawn("app", node, [join(p.root, "packages/app/dist/main.js")], {
    logFile: join(p.run, "app.log"),
    cwd: p.run,
    env: {
      APP_ID: String(forge.creds.appId),
      PRIVATE_KEY_PATH: forge.creds.privateKeyPath,
      WEBHOOK_SECRET: forge.creds.webhookSecret,
      GHE_HOST: new URL(forge.url).host,
      GHE_PROTOCOL: "http",
      PORT: String(forge.appPort),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      LPCTL_SIGNING_KEY: signingKey,
      LPCTL_APP_STATE_DIR: join(p.run, "app-state"),
      NODE_ENV: "production",
    },
  });
  const url = `http://127.0.0.1:${String(forge.appPort)}/`;
  await waitFor(
    "the app to listen",
    async () => {
      if (child.process.exitCode !== null) {
        throw new LpctlError("DEMO_FAILED", `the app exited; see ${child.logFile}`);
      }
      return (await fetch(url).catch(() => undefined)) ? true : undefined;
    },
    60_000,
    200,
  );
  return child.logFile;
}
