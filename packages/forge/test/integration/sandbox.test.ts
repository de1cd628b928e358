/**
 * `livepatch-forge --actions` runs every job in a sandbox: a job cannot read
 * the forge's data directory (the app's private key and webhook secret) or
 * a path the operator hides (the demo's signing key), and a pull request's
 * job cannot write the shared cache that push jobs (the ones the app signs)
 * read. Everything here lives outside /tmp, which the sandbox replaces
 * anyway, so only the hiding under test keeps it out of sight: in the
 * checkout's .cache, or in /var/tmp when the checkout itself is under /tmp
 * (a clone in /tmp failed this test for that reason alone).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushFiles } from "@livepatch-gitops/test-support/forge-areas-helpers";
import { cloneRepo } from "./git-client.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
// Per process: scripts/test.sh runs this file under two Node versions at once.
const OUT = path.join(ROOT, `.cache/lpctl-forge-sandbox-test-${String(process.pid)}.mjs`);
const UNDER_TMP = ["/tmp", os.tmpdir()].some((t) => (ROOT + "/").startsWith(`${t}/`));
const PARENT = UNDER_TMP ? "/var/tmp" : path.join(ROOT, ".cache");

let base = "";
let forge: ResultPromise | undefined;
let stderr = "";
const dirs = { data: "", keys: "", cache: "", open: "" };
let api = "";
let web = "";
let admin: Record<string, string> = {};
let alice = "";

async function call(method: string, url: string, token: string, body?: unknown) {
  const res = await fetch(`${api}${url}`, {
    method,
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = await res.json().catch(() => undefined);
  return { status: res.status, body: json };
}

async function idle(): Promise<void> {
  const r = await fetch(`${api}/_forge/idle`, { headers: admin });
  expect(r.status).toBe(200);
}

async function runs(repo: string): Promise<{ event: string; conclusion: string }[]> {
  const r = await call("GET", `/repos/alice/${repo}/actions/runs`, alice);
  return (r.body as { workflow_runs: { event: string; conclusion: string }[] }).workflow_runs;
}

beforeAll(async () => {
  await build({
    entryPoints: [path.join(ROOT, "packages/forge/src/cli/main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile: OUT,
    logLevel: "error",
  });
  await mkdir(path.join(ROOT, ".cache"), { recursive: true });
  await mkdir(PARENT, { recursive: true });
  base = await mkdtemp(path.join(PARENT, "lpctl-forge-sandbox-"));
  for (const k of Object.keys(dirs) as (keyof typeof dirs)[]) {
    dirs[k] = path.join(base, k);
    await mkdir(dirs[k]);
  }
  await writeFile(
    path.join(dirs.keys, "signing-key.asc"),
    "-----BEGIN PGP PRIVATE KEY BLOCK-----\n",
  );
  await writeFile(path.join(dirs.open, "readme"), "anyone may read this\n");
  const env = (k: string, v: string) => ["--runner-env", `${k}=${v}`];
  forge = execa(
    "node",
    [
      OUT,
      "--port",
      "0",
      "--data",
      dirs.data,
      "--json",
      "--actions",
      "--runner-hide",
      dirs.keys,
      "--runner-cache",
      dirs.cache,
      ...env("DATA", dirs.data),
      ...env("KEYS", dirs.keys),
      ...env("CACHE", dirs.cache),
      ...env("OPEN", dirs.open),
    ],
    { reject: false, buffer: false, cwd: base },
  );
  forge.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    forge?.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0] ?? "");
    });
    void forge?.once("exit", () =>
      reject(new TypeError(`livepatch-forge exited: ${out}${stderr}`)),
    );
  });
  const info = JSON.parse(line) as { url: string; apiUrl: string; credentialsFile: string };
  api = info.apiUrl;
  web = info.url;
  const creds = JSON.parse(await readFile(path.resolve(base, info.credentialsFile), "utf8")) as {
    adminToken: string;
  };
  admin = { authorization: `token ${creds.adminToken}` };
  await call("POST", "/admin/users", creds.adminToken, { login: "alice" });
  const tok = await call("POST", "/admin/users/alice/authorizations", creds.adminToken, {});
  alice = (tok.body as { token: string }).token;
}, 120_000);

afterAll(async () => {
  forge?.kill("SIGTERM");
  await forge;
  await rm(base, { recursive: true, force: true });
  await rm(OUT, { force: true });
});

const PEEK = `on: push
jobs:
  peek:
    runs-on: ubuntu-latest
    steps:
      - id: key
        continue-on-error: true
        run: cat "$DATA/app-private-key.pem"
      - id: creds
        continue-on-error: true
        run: cat "$DATA/app-credentials.json"
      - id: state
        continue-on-error: true
        run: cat "$DATA/state.json"
      - id: signing
        continue-on-error: true
        run: cat "$KEYS/signing-key.asc"
      - id: open
        continue-on-error: true
        run: cat "$OPEN/readme"
      - run: |
          echo "\${{ steps.key.outcome }} \${{ steps.creds.outcome }} \${{ steps.state.outcome }} \${{ steps.signing.outcome }} \${{ steps.open.outcome }}" > "$CACHE/peek"
          ls -A "$DATA" > "$CACHE/data-listing"
`;

const CACHE = `on: [push, pull_request]
jobs:
  cache:
    runs-on: ubuntu-latest
    steps:
      - env:
          EVENT: \${{ github.event_name }}
        run: |
          if [ "$EVENT" = push ]; then
            echo "push sees: $(cat "$CACHE/entry" 2>/dev/null || echo nothing)" >> "$CACHE/push-log"
            [ -f "$CACHE/entry" ] || echo trusted > "$CACHE/entry"
          else
            echo "pr sees: $(cat "$CACHE/entry")" > "$CACHE/pr-view"
            echo planted > "$CACHE/entry"
            echo planted > "$CACHE/planted"
            grep -q planted "$CACHE/entry"
          fi
`;

describe("livepatch-forge --actions: the job sandbox", () => {
  it("a step cannot read the forge's data directory or a hidden signing key", async () => {
    await call("POST", "/user/repos", alice, { name: "peek" });
    await pushFiles(web, alice, "alice/peek", { ".github/workflows/peek.yml": PEEK });
    await idle();
    expect(await runs("peek"), stderr).toMatchObject([{ event: "push", conclusion: "success" }]);
    // cat failed on the key, the credentials, the state and the signing key; the open file read fine.
    expect(await readFile(path.join(dirs.cache, "peek"), "utf8")).toBe(
      "failure failure failure failure success\n",
    );
    // Of the data directory, a job sees only the way to its own run's directory.
    expect(await readFile(path.join(dirs.cache, "data-listing"), "utf8")).toBe("runs\n");
  }, 120_000);

  it("a pull request's job writes only its own copy of the cache that push jobs read", async () => {
    await call("POST", "/user/repos", alice, { name: "cache" });
    await pushFiles(web, alice, "alice/cache", { ".github/workflows/cache.yml": CACHE });
    await idle();
    expect(await readFile(path.join(dirs.cache, "entry"), "utf8")).toBe("trusted\n");

    const wc = await cloneRepo(`${web}/alice/cache.git`, alice);
    await wc.git("checkout", "-q", "-b", "plant");
    await wc.write("README", "a harmless change\n");
    await wc.commitAll("plant a cache entry");
    await wc.git("push", "-q", "origin", "plant");
    const pr = await call("POST", "/repos/alice/cache/pulls", alice, {
      title: "plant",
      head: "plant",
      base: "main",
    });
    expect(pr.status).toBe(201);
    await idle();
    // The job ran and its writes succeeded, in its own copy-on-write view.
    expect(await runs("cache")).toContainEqual(
      expect.objectContaining({ event: "pull_request", conclusion: "success" }),
    );
    expect(await readFile(path.join(dirs.cache, "entry"), "utf8")).toBe("trusted\n");
    await expect(readFile(path.join(dirs.cache, "planted"))).rejects.toThrow();
    await expect(readFile(path.join(dirs.cache, "pr-view"))).rejects.toThrow();

    await pushFiles(web, alice, "alice/cache", { NEXT: "the next trusted build\n" });
    await idle();
    expect(await readFile(path.join(dirs.cache, "push-log"), "utf8")).toBe(
      "push sees: nothing\npush sees: trusted\n",
    );
  }, 180_000);
});
