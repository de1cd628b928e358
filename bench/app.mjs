/**
 * App benchmark, through the forge on loopback: the app runs as its own
 * process (`node packages/app/dist/main.js`, Probot), the forge in this one.
 * - PR opened → `livepatch / lint` completed: wall time from the pull
 *   request's creation (the forge sends `pull_request.opened` right away) to
 *   the check run showing completed, polled every 20 ms. Target: p95 ≤ 2 s.
 * - Webhook throughput: 200 new deliveries (fresh GUIDs, signed) of those
 *   `pull_request.opened` payloads, 4 in flight, straight to the app: each
 *   is handled in full (plan, lint, checks and comment found in place).
 *   perDelivery is the time to the app's answer; wallSeconds runs until the
 *   last delivery's work is done (its PR comment lookup answered).
 * The repository is this checkout's tree without workflows (no builds).
 * Run `npm run build && node bench/app.mjs`; writes bench/results/app.json.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { promisify } from "node:util";
import { createSign, randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { arch, cpus, loadavg, platform, release, tmpdir } from "node:os";
import path from "node:path";
import { Buffer } from "node:buffer";
import console from "node:console";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { setTimeout as sleep } from "node:timers/promises";
import { URL } from "node:url";
import { sign } from "@octokit/webhooks-methods";
import { Octokit } from "@octokit/rest";
import { parse as parseYaml } from "yaml";
import { startForge } from "@livepatch-gitops/forge";

const PRS = Number(process.env.PRS ?? 20);
const DELIVERIES = Number(process.env.DELIVERIES ?? 200);

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]);
};
const summary = (xs) => ({
  n: xs.length,
  p50Ms: pct(xs, 50),
  p95Ms: pct(xs, 95),
  maxMs: pct(xs, 100),
});
const quiet = () => {};
const log = { debug: quiet, info: quiet, warn: quiet, error: quiet };

function appJwt(appId, pem) {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({ iat: now - 30, exp: now + 540, iss: String(appId) })}`;
  return `${body}.${createSign("RSA-SHA256").update(body).sign(pem).toString("base64url")}`;
}
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// TRACE=file: every API answer of the forge (time, method, path, status) and
// the bench's own marks, as JSON lines, to see where the time goes.
const trace = [];
const mark = (what) => trace.push({ t: Math.round(performance.now()), mark: what });
// The app's last request for a pull_request delivery is the lookup of its
// PR comment (then a write only if the comment changed): counting those
// answers tells when a delivery was handled in full.
let commentLookups = 0;
const onResponse = (r) => {
  if (r.method === "GET" && /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments/.test(r.path))
    commentLookups++;
  if (process.env.TRACE)
    trace.push({
      t: Math.round(performance.now()),
      method: r.method,
      path: r.path,
      status: r.status,
    });
  return undefined;
};

const dir = mkdtempSync(path.join(tmpdir(), "lpctl-bench-app-"));
const forge = await startForge({
  dataDir: path.join(dir, "forge"),
  log: quiet,
  onResponse,
});
const owner = await forge.createUser("maintainer");
const author = await forge.createUser("author");
await forge.createOrg("acme", "maintainer");
await forge.createRepo("acme", "livepatches");
await forge.addCollaborator("acme", "livepatches", "author", "push");
const port = await freePort();
const manifest = parseYaml(readFileSync("app.yml", "utf8"));
const app = await forge.registerApp({
  ...manifest,
  hook_attributes: { url: `http://127.0.0.1:${port}/api/github/webhooks`, active: true },
});
await forge.installApp(app.appId, "acme");
const keyFile = path.join(dir, "app.pem");
writeFileSync(keyFile, app.privateKeyPem, { mode: 0o600 });
execFileSync(process.execPath, [
  "packages/lpctl/dist/cli/main.js",
  "keygen",
  "--name",
  "bench",
  "--out",
  path.join(dir, "keys"),
]);

const child = spawn(process.execPath, ["packages/app/dist/main.js"], {
  env: {
    PATH: process.env.PATH,
    APP_ID: String(app.appId),
    PRIVATE_KEY_PATH: keyFile,
    WEBHOOK_SECRET: app.webhookSecret,
    GHE_HOST: new URL(forge.url).host,
    GHE_PROTOCOL: "http",
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: process.env.APP_LOG_LEVEL ?? "warn",
    NODE_ENV: "production",
    LPCTL_SIGNING_KEY: path.join(dir, "keys/signing-key.asc"),
  },
  stdio: ["ignore", process.env.APP_LOG_LEVEL ? "inherit" : "ignore", "inherit"],
});
for (;;) {
  if (
    await globalThis.fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    )
  )
    break;
  await sleep(100);
}

// The repository: this checkout's committed tree, without workflows.
const wc = path.join(dir, "wc");
const gitEnv = {
  ...process.env,
  HOME: dir,
  GIT_TERMINAL_PROMPT: "0",
  GIT_AUTHOR_NAME: "b",
  GIT_AUTHOR_EMAIL: "b@b",
  GIT_COMMITTER_NAME: "b",
  GIT_COMMITTER_EMAIL: "b@b",
};
// Asynchronous: the forge answering git's requests runs in this process.
const run = promisify(execFile);
const git = async (...args) =>
  (await run("git", ["-c", "credential.helper=", ...args], { cwd: wc, env: gitEnv })).stdout.trim();
execFileSync("mkdir", ["-p", wc]);
execFileSync("sh", ["-c", `git archive --format=tar HEAD | tar -x -C ${wc}`]);
rmSync(path.join(wc, ".github/workflows"), { recursive: true, force: true });
writeFileSync(path.join(wc, ".github/livepatch.yml"), "reviewers:\n  users: [maintainer]\n");
await git("init", "-q", "-b", "main");
await git("add", "-A");
await git("commit", "-q", "-m", "seed");
const remote = (token) => {
  const u = new URL(`${forge.url}/acme/livepatches.git`);
  u.username = "x-access-token";
  u.password = token;
  return u.toString();
};
await git("push", "-q", remote(owner.token), "main");
await forge.waitIdle();

const gh = new Octokit({ auth: author.token, baseUrl: forge.apiUrl, log });
const repo = { owner: "acme", repo: "livepatches" };
const fixture = "packages/lpctl/contrib/demo/loadavg-banner";
const latencies = [];
for (let i = 0; i < PRS; i++) {
  await git("checkout", "-q", "-B", `p${i}`, "main");
  cpSync(fixture, path.join(wc, `patches/loadavg-banner-${i}`), { recursive: true });
  await git("add", "-A");
  await git("commit", "-q", "-m", `patch ${i}`);
  const head = await git("rev-parse", "HEAD");
  await git("push", "-q", remote(author.token), `p${i}`);
  const t = performance.now();
  mark(`pr ${i} create`);
  await gh.rest.pulls.create({ ...repo, head: `p${i}`, base: "main", title: `patch ${i}` });
  for (;;) {
    const { data } = await gh.rest.checks.listForRef({
      ...repo,
      ref: head,
      check_name: "livepatch / lint",
    });
    if (data.check_runs[0]?.status === "completed") break;
    await sleep(20);
  }
  latencies.push(performance.now() - t);
  mark(`pr ${i} lint completed seen`);
}
// Every PR's handler has run to its end (checks and comment) before the next phase.
while (commentLookups < PRS) await sleep(20);
await forge.waitIdle();

// Throughput: the recorded pull_request.opened payloads sent again as new
// deliveries (fresh GUIDs, signed with the app's secret), 4 in flight: the
// app re-plans, re-lints and finds its checks and comment in place.
const asApp = () =>
  new Octokit({ auth: appJwt(app.appId, app.privateKeyPem), baseUrl: forge.apiUrl, log });
const all = await asApp().paginate("GET /app/hook/deliveries", { per_page: 100 });
const opened = [];
for (const d of all.filter((x) => x.event === "pull_request" && x.action === "opened")) {
  const { data } = await asApp().request("GET /app/hook/deliveries/{delivery_id}", {
    delivery_id: d.id,
  });
  opened.push(JSON.stringify(data.request.payload));
}
const hookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;
const perDelivery = [];
let failed = 0;
let next = 0;
const lookupsBefore = commentLookups;
const t0 = performance.now();
mark("deliveries start");
async function sender() {
  while (next < DELIVERIES) {
    const body = opened[next++ % opened.length];
    const t = performance.now();
    const res = await globalThis.fetch(hookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": await sign(app.webhookSecret, body),
      },
      body,
    });
    await res.arrayBuffer();
    if (!res.ok) failed++;
    perDelivery.push(performance.now() - t);
  }
}
await Promise.all([sender(), sender(), sender(), sender()]);
const answeredS = (performance.now() - t0) / 1000;
mark("deliveries answered");
// The app answers before its work is done: wait until every delivery's last request.
while (commentLookups - lookupsBefore < perDelivery.length) await sleep(20);
const wallS = (performance.now() - t0) / 1000;
mark("deliveries handled");
await forge.waitIdle();
child.kill("SIGTERM");
if (process.env.TRACE)
  writeFileSync(process.env.TRACE, trace.map((x) => JSON.stringify(x)).join("\n") + "\n");
await forge.close();

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
  prOpenedToLintCompleted: summary(latencies),
  webhookThroughput: {
    deliveries: perDelivery.length,
    concurrency: 4,
    failed,
    perDelivery: summary(perDelivery),
    answeredSeconds: Math.round(answeredS * 10) / 10,
    wallSeconds: Math.round(wallS * 10) / 10,
    perSecond: Math.round((perDelivery.length / wallS) * 10) / 10,
  },
  targets: { prOpenedToLintP95Ms: 2000 },
};
writeFileSync("bench/results/app.json", JSON.stringify(result, null, 2) + "\n");
console.log(JSON.stringify(result, null, 2));
