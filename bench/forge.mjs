/**
 * Forge benchmark: REST latency on loopback (release get, check-run create,
 * 1 MB asset upload) with @octokit/rest as a client would call it, webhook
 * delivery latency (check-run create → check_run.created received, signed),
 * and the resident memory of an idle `livepatch-forge` process.
 * Run `npm run build && node bench/forge.mjs`; writes bench/results/forge.json.
 * Targets (issue 10): p95 < 20 ms for small requests; idle RSS < 150 MB.
 */
import { spawn } from "node:child_process";
import { createSign, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { arch, cpus, loadavg, platform, release, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Buffer } from "node:buffer";
import console from "node:console";
import process from "node:process";
import { URL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { Octokit } from "@octokit/rest";
import { startForge } from "@livepatch-gitops/forge";

const RUNS = Number(process.env.RUNS ?? 200);
const UPLOADS = Number(process.env.UPLOADS ?? 30);

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 100) / 100;
};
const summary = (xs) => ({
  n: xs.length,
  p50Ms: pct(xs, 50),
  p95Ms: pct(xs, 95),
  maxMs: pct(xs, 100),
});
async function timed(n, fn) {
  for (let i = 0; i < 5; i++) await fn(i); // warm-up
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

function appJwt(appId, pem) {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({ iat: now - 30, exp: now + 540, iss: String(appId) })}`;
  return `${body}.${createSign("RSA-SHA256").update(body).sign(pem).toString("base64url")}`;
}

// Webhook receiver: records when each delivery arrives, by check run id.
const arrivals = new Map();
const receiver = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const at = performance.now();
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (req.headers["x-github-event"] === "check_run" && body.action === "created") {
      arrivals.set(body.check_run.id, at);
    }
    res.writeHead(200).end("ok");
  });
});
await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
const hookUrl = `http://127.0.0.1:${receiver.address().port}/hooks`;

const forge = await startForge({
  dataDir: mkdtempSync(path.join(tmpdir(), "lpctl-bench-forge-")),
  log: () => {},
});
const owner = await forge.createUser("bench");
await forge.createRepo("bench", "demo");
const app = await forge.registerApp({
  name: "bench",
  url: "http://127.0.0.1/",
  hook_attributes: { url: hookUrl },
  default_permissions: { contents: "write", checks: "write" },
  default_events: ["check_run"],
});
const installationId = await forge.installApp(app.appId, "bench");
const quiet = () => {};
const log = { debug: quiet, info: quiet, warn: quiet, error: quiet };
const asApp = new Octokit({
  auth: appJwt(app.appId, app.privateKeyPem),
  baseUrl: forge.apiUrl,
  log,
});
const { data: tok } = await asApp.rest.apps.createInstallationAccessToken({
  installation_id: installationId,
});
const gh = new Octokit({ auth: tok.token, baseUrl: forge.apiUrl, log });
const user = new Octokit({ auth: owner.token, baseUrl: forge.apiUrl, log });
const repo = { owner: "bench", repo: "demo" };

// A commit to hang check runs and the release tag on: the forge creates the
// repository empty, so push one through git.
const wc = mkdtempSync(path.join(tmpdir(), "lpctl-bench-wc-"));
const git = (...args) =>
  new Promise((resolve, reject) => {
    const p = spawn("git", ["-c", "credential.helper=", ...args], {
      cwd: wc,
      env: {
        ...process.env,
        HOME: wc,
        GIT_TERMINAL_PROMPT: "0",
        GIT_AUTHOR_NAME: "b",
        GIT_AUTHOR_EMAIL: "b@b",
        GIT_COMMITTER_NAME: "b",
        GIT_COMMITTER_EMAIL: "b@b",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.on("exit", (c) =>
      c === 0 ? resolve(out.trim()) : reject(new Error(`git ${args.join(" ")}: ${c}`)),
    );
  });
await git("init", "-q", "-b", "main");
writeFileSync(path.join(wc, "README"), "bench\n");
await git("add", "-A");
await git("commit", "-q", "-m", "bench");
const sha = await git("rev-parse", "HEAD");
const url = new URL(`${forge.url}/bench/demo.git`);
url.username = "x-access-token";
url.password = owner.token;
await git("push", "-q", url.toString(), "main");
await forge.waitIdle();

const { data: rel } = await user.rest.repos.createRelease({
  ...repo,
  tag_name: "v1",
  target_commitish: sha,
});
const releaseGet = await timed(RUNS, () =>
  user.rest.repos.getRelease({ ...repo, release_id: rel.id }),
);

// Check-run create: the API answer's latency, and (measured from the same
// request's start) when its signed check_run.created delivery arrived.
const checkCreate = [];
const delivery = [];
for (let i = 0; i < RUNS + 5; i++) {
  const t = performance.now();
  const { data } = await gh.rest.checks.create({ ...repo, name: "bench", head_sha: sha });
  const answered = performance.now();
  while (!arrivals.has(data.id)) await sleep(1);
  if (i < 5) continue; // warm-up
  checkCreate.push(answered - t);
  delivery.push(arrivals.get(data.id) - t);
}

const mb = randomBytes(1024 * 1024);
let uploaded = 0;
const upload = await timed(UPLOADS, () =>
  user.rest.repos.uploadReleaseAsset({
    ...repo,
    release_id: rel.id,
    url: rel.upload_url,
    name: `blob-${uploaded++}.bin`,
    data: mb,
    headers: { "content-type": "application/octet-stream", "content-length": mb.length },
  }),
);
await forge.close();
receiver.close();

// Idle memory: `livepatch-forge` as its own process, after start-up settles.
const data = mkdtempSync(path.join(tmpdir(), "lpctl-bench-forge-idle-"));
const child = spawn(
  process.execPath,
  ["packages/forge/dist/cli/main.js", "--port", "0", "--data", data, "--json"],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
await new Promise((r) => child.stdout.once("data", r));
await sleep(3000);
const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1]);
child.kill("SIGTERM");

const result = {
  date: new Date().toISOString(),
  machine: {
    platform: platform(),
    release: release(),
    arch: arch(),
    cpus: cpus().length,
    node: process.version,
  },
  loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
  rest: {
    releaseGet: summary(releaseGet),
    checkRunCreate: summary(checkCreate),
    assetUpload1MiB: summary(upload),
  },
  webhookDeliveryMs: summary(delivery),
  idleRssMb: Math.round(rssKb / 102.4) / 10,
  targets: { smallRequestP95Ms: 20, idleRssMb: 150 },
};
writeFileSync("bench/results/forge.json", JSON.stringify(result, null, 2) + "\n");
console.log(JSON.stringify(result, null, 2));
