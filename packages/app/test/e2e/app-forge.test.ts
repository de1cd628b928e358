/**
 * The pull-request loop end to end, every part real: the forge (git over
 * smart HTTP, REST held to GitHub's GHES description, signed webhooks) runs
 * the real .github/workflows/build.yml with its Actions runner (the lab
 * kernel, real kpatch-build, the VM test); the app runs as its own process
 * under Probot. A push to main publishes v1; a PR adding a patch is linted,
 * planned, built and gated on a reviewer's approval of its head commit;
 * the merge publishes v2 whose cumulative module holds all three patches; a
 * host verifies and syncs it over HTTP through the public download URL.
 */
import { Octokit } from "@octokit/rest";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "@livepatch-gitops/lpctl/cli/run";
import type { Manifest } from "@livepatch-gitops/lpctl/core/manifest";
import { startForge, type Forge, type RegisteredApp } from "@livepatch-gitops/forge";
import { runWorkflow, workflowTriggers } from "@livepatch-gitops/forge/runner";
import { wholeLatestRelease } from "@livepatch-gitops/demo/forge-watch";
import { useForgeConformance } from "@livepatch-gitops/test-support/forge-conformance";
import {
  addPatch,
  appManifest,
  authedUrl,
  E2E_FORGE_TOOL_CACHE,
  freePort,
  git,
  REPO_ROOT,
  seedWorkingCopy,
  startApp,
  waitFor,
  type AppProcess,
} from "@livepatch-gitops/test-support/forge-loop";
import { gnuBuildIdNote } from "@livepatch-gitops/test-support/fake-kernel-image";

const REPO = { owner: "acme", repo: "livepatches" };
const FULL = `${REPO.owner}/${REPO.repo}`;
const TARGET = "debian-6.1-lab";
const GATE = "livepatch / safety review";
/** A cold kernel prepare inside the first build when no earlier test warmed the cache. */
const BUILD_WAIT = 45 * 60_000;

const conformance = useForgeConformance();
let forge: Forge;
let app: RegisteredApp;
let appProc: AppProcess | undefined;
let appHookUrl = "";
let dir = "";
let wc = "";
let keyDir = "";
const tokens: Record<string, string> = {};
const quiet = () => undefined;
/** A user's Octokit; polling answers 404 until things exist, so request logging stays off. */
const kit = (who: string) =>
  new Octokit({
    auth: tokens[who],
    baseUrl: forge.apiUrl,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });

/** The release once it is whole: the latest, holding the signed full manifest (as the demo waits for it). */
const latestRelease = (tag: string) => wholeLatestRelease(kit("maintainer"), tag, REPO);

async function checkRun(sha: string, name: string, completed = true) {
  const { data } = await kit("maintainer").rest.checks.listForRef({
    ...REPO,
    ref: sha,
    check_name: name,
  });
  const run = data.check_runs[0];
  return run && (!completed || run.status === "completed") ? run : undefined;
}

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url); // follows the forge's 302 to its storage URL
  if (!res.ok) throw new Error(`${url}: HTTP ${String(res.status)}`);
  return Buffer.from(await res.arrayBuffer());
}

async function lpctl(...args: string[]) {
  const out: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => out.push(l) });
  return { code, out: out.join("\n") };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-e2e-loop-"));
  // The app process runs from dist/, as `npm start` does (built by the e2e
  // project's global set-up, packages/test-support/src/build-dist.ts).
  keyDir = path.join(dir, "keys");
  const keygen = await lpctl("keygen", "--name", "E2E Live Patches", "--out", keyDir);
  expect(keygen.code, keygen.out).toBe(0);

  forge = await startForge({
    dataDir: path.join(dir, "forge"),
    runner: { workflowTriggers, runWorkflow },
    // The runner machine's own environment: the shared kernel cache and kpatch-build.
    runnerEnv: {
      LPCTL_CACHE_DIR: process.env.LPCTL_CACHE_DIR ?? path.join(REPO_ROOT, ".cache/lpctl"),
      PATH: `/opt/livepatch-gitops/tools/usr/bin:${process.env.PATH ?? ""}`,
      RUNNER_TOOL_CACHE: E2E_FORGE_TOOL_CACHE,
    },
    onResponse: conformance.onResponse,
    onWebhook: conformance.onWebhook,
  });
  for (const who of ["maintainer", "author", "reviewer"]) {
    tokens[who] = (await forge.createUser(who)).token;
  }
  await forge.createOrg(REPO.owner, "maintainer");
  await forge.createTeam(REPO.owner, "kernel-reviewers", ["reviewer"]);
  await forge.createRepo(REPO.owner, REPO.repo);
  await forge.addCollaborator(REPO.owner, REPO.repo, "author", "push");
  await forge.addCollaborator(REPO.owner, REPO.repo, "reviewer", "push");

  const port = await freePort();
  appHookUrl = `http://127.0.0.1:${String(port)}/api/github/webhooks`;
  app = await forge.registerApp(await appManifest(appHookUrl));
  await forge.installApp(app.appId, REPO.owner);
  appProc = await startApp({
    forge,
    app,
    port,
    signingKeyFile: path.join(keyDir, "signing-key.asc"),
    dir,
  });

  wc = await seedWorkingCopy(
    [
      "reviewers:",
      "  users: []",
      `  teams: [${REPO.owner}/kernel-reviewers]`,
      "requiredApprovals: 1",
      "",
    ].join("\n"),
  );
  await git(wc, "push", "-q", authedUrl(forge, FULL, tokens.maintainer ?? ""), "main");
  // Merges into main need the app's gate, pinned to the app.
  await kit("maintainer").rest.repos.updateBranchProtection({
    ...REPO,
    branch: "main",
    required_status_checks: {
      strict: false,
      contexts: [],
      checks: [{ context: GATE, app_id: app.appId }],
    },
    enforce_admins: true,
    required_pull_request_reviews: null,
    restrictions: null,
  });
}, BUILD_WAIT);

afterAll(async () => {
  await appProc?.stop();
  await forge?.close();
  if (appProc && process.env.LPCTL_E2E_SHOW_APP_LOG) process.stderr.write(appProc.logs.join("\n"));
});

describe("the pull-request loop through the forge", () => {
  it("a push to main builds every target on the runner and the app publishes v1", async () => {
    const v1 = await waitFor("release v1", () => latestRelease("v1"), BUILD_WAIT, 5000);
    const names = v1.assets.map((a) => a.name);
    expect(names).toContain("manifest.json");
    expect(names).toContain("manifest.json.asc");
    expect(names.some((n) => n.endsWith(".ko"))).toBe(true);
    const { data: latest } = await kit("author").rest.repos.getLatestRelease(REPO);
    expect(latest.tag_name).toBe("v1");
  });

  let pr = 0;
  let head = "";
  it("a pull request adding a patch gets lint, policy and a build with the changed function", async () => {
    await git(wc, "checkout", "-q", "-b", "loadavg-banner");
    await addPatch(
      wc,
      path.join(REPO_ROOT, "packages/lpctl/contrib/demo/loadavg-banner"),
      "loadavg-banner",
    );
    await git(wc, "add", "-A");
    await git(wc, "commit", "-q", "-m", "patches: mark /proc/loadavg as live-patched");
    head = (await git(wc, "rev-parse", "HEAD")).stdout.trim();
    await git(wc, "push", "-q", authedUrl(forge, FULL, tokens.author ?? ""), "loadavg-banner");
    const created = await kit("author").rest.pulls.create({
      ...REPO,
      head: "loadavg-banner",
      base: "main",
      title: "Mark /proc/loadavg as live-patched",
    });
    pr = created.data.number;

    const lint = await waitFor("the lint check", () => checkRun(head, "livepatch / lint"), 120_000);
    expect(lint.conclusion).toBe("success");
    const policy = await waitFor(
      "the policy check",
      () => checkRun(head, "livepatch / policy"),
      60_000,
    );
    expect(policy.conclusion).toBe("success");
    const gate = await waitFor("the gate check", () => checkRun(head, GATE, false), 60_000);
    expect(gate.conclusion).not.toBe("success");

    const build = await waitFor(
      "the build check",
      () => checkRun(head, `livepatch / build (${TARGET})`),
      BUILD_WAIT,
      5000,
    );
    expect(build.conclusion, JSON.stringify(build.output)).toBe("success");
    const { data: full } = await kit("maintainer").rest.checks.get({
      ...REPO,
      check_run_id: build.id,
    });
    expect(`${full.output.summary ?? ""}\n${full.output.text ?? ""}`).toContain(
      "loadavg_proc_show",
    );

    const { data: comments } = await kit("maintainer").rest.issues.listComments({
      ...REPO,
      issue_number: pr,
    });
    expect(comments.filter((c) => c.user?.type === "Bot")).toHaveLength(1);
  });

  it("only a configured reviewer's approval of the head commit opens the gate", async () => {
    // GitHub refuses an author's approval of their own PR; the gate stays shut either way.
    await expect(
      kit("author").rest.pulls.createReview({
        ...REPO,
        pull_number: pr,
        event: "APPROVE",
        commit_id: head,
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      kit("maintainer").rest.pulls.merge({ ...REPO, pull_number: pr }),
    ).rejects.toMatchObject({ status: 405 });

    await kit("reviewer").rest.pulls.createReview({
      ...REPO,
      pull_number: pr,
      event: "APPROVE",
      commit_id: head,
    });
    const gate = await waitFor(
      "the gate to open",
      async () => {
        const run = await checkRun(head, GATE);
        return run?.conclusion === "success" ? run : undefined;
      },
      60_000,
    );
    expect(gate.output.summary).toBe(
      `#${String(pr)} into main: 1 of 1 required approval(s) of ${head.slice(0, 7)} (reviewer)`,
    );
  });

  it("the merge publishes v2, whose cumulative module holds all three patches", async () => {
    const merged = await kit("maintainer").rest.pulls.merge({ ...REPO, pull_number: pr });
    expect(merged.data.merged).toBe(true);
    const v2 = await waitFor("release v2", () => latestRelease("v2"), BUILD_WAIT, 5000);
    const out = path.join(dir, "v2");
    await mkdir(out, { recursive: true });
    for (const name of ["manifest.json", "manifest.json.asc"]) {
      const asset = v2.assets.find((a) => a.name === name);
      expect(asset, name).toBeDefined();
      await writeFile(path.join(out, name), await download(asset?.browser_download_url ?? ""));
    }
    const verify = await lpctl(
      "verify",
      "--manifest",
      path.join(out, "manifest.json"),
      "--key",
      path.join(keyDir, "signing-key.pub.asc"),
    );
    expect(verify.code, verify.out).toBe(0);
    const manifest = JSON.parse(
      await readFile(path.join(out, "manifest.json"), "utf8"),
    ) as Manifest;
    expect(manifest.repository).toBe(FULL);
    const entry = manifest.kernels.find((k) => k.target === TARGET);
    expect(entry?.patches.map((p) => p.id).sort()).toEqual([
      "cmdline-banner",
      "loadavg-banner",
      "version-banner",
    ]);
    expect(entry?.commit).toBe(merged.data.sha);

    // Merge → release, the build reported apart (bench/README.md records these).
    const { data: runs } = await kit("maintainer").rest.actions.listWorkflowRunsForRepo({
      ...REPO,
      event: "push",
      head_sha: merged.data.sha,
    });
    const run = runs.workflow_runs[0];
    if (run?.run_started_at && v2.created_at) {
      const buildS = (Date.parse(run.updated_at) - Date.parse(run.run_started_at)) / 1000;
      const publishS = (Date.parse(v2.created_at) - Date.parse(run.updated_at)) / 1000;
      process.stderr.write(
        `[app-forge] merge build ${buildS.toFixed(1)} s; run completed → v2 created ${publishS.toFixed(1)} s\n`,
      );
    }
  });

  it("refuses a webhook with a forged signature and changes nothing", async () => {
    const before = await kit("maintainer").rest.checks.listForRef({ ...REPO, ref: head });
    const body = JSON.stringify({ action: "opened", number: pr, installation: { id: 1 } });
    const res = await fetch(appHookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": "00000000-0000-4000-8000-000000000001",
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      },
      body,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const after = await kit("maintainer").rest.checks.listForRef({ ...REPO, ref: head });
    expect(after.data.total_count).toBe(before.data.total_count);
  });

  it("a host syncs v2 over HTTP through the public latest-download URL", async () => {
    const res = await fetch(`${forge.url}/${FULL}/releases/latest/download/manifest.json`);
    const manifest = (await res.json()) as Manifest;
    const entry = manifest.kernels.find((k) => k.target === TARGET);
    if (!entry) throw new Error("no entry for the lab target");
    const root = await fakeHostRoot(entry.release, entry.buildId);
    await writeFile(
      path.join(root, "etc/lpctl/config.yaml"),
      [
        `source: ${forge.url}/${FULL}/releases/latest/download/`,
        `repository: ${FULL}`,
        `keys: [/etc/lpctl/keys/release.asc]`,
        "transitionTimeout: 5",
        "loader:",
        `  load: [${path.join(root, "bin/fake-insmod")}]`,
        `  unload: [${path.join(root, "bin/fake-rmmod")}]`,
        "",
      ].join("\n"),
    );
    await writeFile(
      path.join(root, "etc/lpctl/keys/release.asc"),
      await readFile(path.join(keyDir, "signing-key.pub.asc")),
    );
    const sync = await lpctl("sync", "--root", root);
    expect(sync.code, sync.out).toBe(0);
    expect(sync.out).toContain(`applied ${entry.module?.name ?? "?"}`);
    const status = await lpctl("status", "--root", root, "--json");
    expect(JSON.parse(status.out)).toMatchObject({
      patchState: "applied",
      cves: ["CVE-2026-10001", "CVE-2026-10002", "CVE-2026-10003"],
      manifest: { version: manifest.version },
    });
  });
});

/**
 * A host root whose /sys/kernel/notes carries the lab kernel's build-id and
 * whose "insmod" makes /sys/kernel/livepatch/<name> appear as the kernel does
 * (this machine does not run the lab kernel; the VM tests load it for real).
 */
async function fakeHostRoot(release: string, buildId: string): Promise<string> {
  const root = path.join(dir, "host");
  for (const d of [
    "proc/sys/kernel",
    "sys/kernel/livepatch",
    "sys/module",
    "etc/lpctl/keys",
    "bin",
  ]) {
    await mkdir(path.join(root, d), { recursive: true });
  }
  await writeFile(path.join(root, "proc/sys/kernel/osrelease"), `${release}\n`);
  await writeFile(path.join(root, "sys/kernel/notes"), gnuBuildIdNote(buildId));
  const lp = path.join(root, "sys/kernel/livepatch");
  await writeFile(
    path.join(root, "bin/fake-insmod"),
    [
      "#!/bin/sh",
      "set -e",
      'name=$(modinfo -F name "$1")',
      `for d in ${lp}/*; do [ -e "$d" ] && rm -rf "$d"; done`,
      `mkdir -p ${lp}/$name ${path.join(root, "sys/module")}/$name`,
      `echo 1 > ${lp}/$name/enabled; echo 0 > ${lp}/$name/transition; : > ${lp}/$name/signal`,
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  await writeFile(
    path.join(root, "bin/fake-rmmod"),
    `#!/bin/sh\nrm -rf ${lp}/$1 ${path.join(root, "sys/module")}/$1\n`,
    { mode: 0o755 },
  );
  return root;
}
