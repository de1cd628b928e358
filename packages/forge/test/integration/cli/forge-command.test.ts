import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushFiles } from "@livepatch-gitops/test-support/forge-areas-helpers";
import { appJwt } from "@livepatch-gitops/test-support/test-forge";

const MAIN = fileURLToPath(new URL("../../../src/cli/main.ts", import.meta.url));
// Per process: scripts/test.sh runs this file under two Node versions at once.
const OUT = fileURLToPath(
  new URL(`../../../../../.cache/livepatch-forge-test-${String(process.pid)}.mjs`, import.meta.url),
);
let dir = "";

beforeAll(async () => {
  await build({
    entryPoints: [MAIN],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile: OUT,
    logLevel: "error",
  });
  dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-forge-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(OUT, { force: true });
});

async function runForge(
  args: string[],
  data = path.join(dir, "data"),
): Promise<{ info: Record<string, unknown>; stop: () => Promise<number | undefined> }> {
  const proc = execa("node", [OUT, "--port", "0", "--data", data, "--json", ...args], {
    reject: false,
    buffer: false,
    cwd: dir,
    // Its own shutdown on SIGTERM is under test: no SIGKILL from execa 5 s
    // later (a run at load ~14 ended with a signal, exit code undefined,
    // while the forge was still cancelling its job).
    forceKillAfterDelay: false,
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0] ?? "");
    });
    proc.once("exit", () => reject(new TypeError(`livepatch-forge exited: ${out}`)));
  });
  return {
    info: JSON.parse(line) as Record<string, unknown>,
    stop: async () => {
      proc.kill("SIGTERM");
      return (await proc).exitCode;
    },
  };
}

describe("livepatch-forge", () => {
  it("registers the app from a manifest once, writes 0600 credentials, and stops cleanly on SIGTERM", async () => {
    const manifest = path.join(dir, "my-app.yml");
    await writeFile(
      manifest,
      "name: My Livepatch App\ndefault_events: [pull_request]\ndefault_permissions:\n  checks: write\n",
    );
    const first = await runForge(["--app-manifest", manifest]);
    const credsFile = String(first.info.credentialsFile);
    expect((await stat(path.resolve(dir, credsFile))).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(await readFile(path.resolve(dir, credsFile), "utf8")) as {
      appId: number;
      privateKeyPath: string;
      adminToken: string;
    };
    const key = await readFile(path.resolve(dir, creds.privateKeyPath), "utf8");
    const res = await fetch(`${String(first.info.apiUrl)}/app`, {
      headers: { authorization: `bearer ${await appJwt(creds.appId, key)}` },
    });
    expect(await res.json()).toMatchObject({
      id: creds.appId,
      slug: "my-livepatch-app",
      permissions: { checks: "write" },
    });
    expect(await first.stop()).toBe(0);

    // A restart on the same data directory keeps the app instead of registering another.
    const second = await runForge(["--app-manifest", manifest]);
    expect(second.info.appId).toBe(creds.appId);
    const apps = await fetch(`${String(second.info.apiUrl)}/app`, {
      headers: { authorization: `bearer ${await appJwt(creds.appId, key)}` },
    });
    expect(apps.status).toBe(200);
    expect(await second.stop()).toBe(0);
  });

  it("--actions runs workflows, and SIGTERM cancels a running job instead of waiting for it", async () => {
    const data = await mkdtemp(path.join(os.tmpdir(), "lpctl-forge-actions-"));
    // Jobs see the data directory hidden; a runner cache is where a (trusted) push job may write.
    const cache = await mkdtemp(path.join(os.tmpdir(), "lpctl-forge-cache-"));
    const marker = path.join(cache, "step-started");
    const forge = await runForge(
      ["--actions", "--runner-cache", cache, "--runner-env", `MARKER=${marker}`],
      data,
    );
    const info = forge.info as { url: string; apiUrl: string; credentialsFile: string };
    const { adminToken } = JSON.parse(
      await readFile(path.resolve(dir, info.credentialsFile), "utf8"),
    ) as {
      adminToken: string;
    };
    const admin = { authorization: `token ${adminToken}`, "content-type": "application/json" };
    await fetch(`${info.apiUrl}/admin/users`, {
      method: "POST",
      headers: admin,
      body: '{"login":"alice"}',
    });
    const tok = (await (
      await fetch(`${info.apiUrl}/admin/users/alice/authorizations`, {
        method: "POST",
        headers: admin,
        body: "{}",
      })
    ).json()) as { token: string };
    await fetch(`${info.apiUrl}/user/repos`, {
      method: "POST",
      headers: { authorization: `token ${tok.token}`, "content-type": "application/json" },
      body: '{"name":"slow"}',
    });
    await pushFiles(info.url, tok.token, "alice/slow", {
      ".github/workflows/slow.yml":
        'on: push\njobs:\n  slow:\n    runs-on: ubuntu-latest\n    steps:\n      - run: touch "$MARKER" && sleep 600\n',
    });
    // The step is running once its marker exists (the runner passed --runner-env through).
    for (let i = 0; i < 300 && !(await stat(marker).catch(() => undefined)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await stat(marker).catch(() => undefined)).toBeDefined();
    const t0 = Date.now();
    expect(await forge.stop()).toBe(0);
    // Seconds, not the step's 600: the job's process group was signalled.
    expect(Date.now() - t0).toBeLessThan(60_000);
    const left = await execa("pgrep", ["-f", "sleep 600"], { reject: false });
    expect(left.stdout).toBe("");
    const state = await readFile(path.join(data, "state.json"), "utf8");
    expect(state).toContain('"cancelled"');
    await rm(cache, { recursive: true, force: true });
  }, 120_000);
});
