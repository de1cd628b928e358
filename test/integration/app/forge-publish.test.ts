/**
 * Attack audit items 5 and 6, the not-live-patchable records of issue 23
 * (publish, VEX asset, PR lint) and a withdrawal, against the in-process forge: the app runs
 * in-process under Probot's webhook middleware, the forge delivers signed
 * webhooks to it, and a stub Actions runner stands in for build.yml (it
 * uploads a build artifact made like `lpctl build` leaves it, then lets a
 * collaborator with push access act through the REST API while the run is
 * still going).
 */
import { Octokit } from "@octokit/rest";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDeps } from "../../../src/app/deps.js";
import { livepatchApp } from "../../../src/app/index.js";
import type { BuildReport } from "../../../src/core/build-report.js";
import { ManifestSchema } from "../../../src/core/manifest.js";
import { generateSigningKey } from "../../../src/core/sign/generate-signing-key.js";
import { createOpenpgpSigner } from "../../../src/core/sign/openpgp-signer.js";
import { startForge, type Forge } from "../../../src/forge/index.js";
import type { RunRequest, RunResult } from "../../../src/forge/runner/contract.js";
import {
  appManifest,
  authedUrl,
  freePort,
  git,
  seedWorkingCopy,
  waitFor,
} from "../../e2e/helpers/forge-loop.js";
import { openvexErrors } from "../../helpers/openvex-schema.js";
import { RECORD, recordsPatchYaml } from "../../helpers/records-patch.js";
import { fakeReport, moduleBytes } from "../../unit/core/report-fixture.js";
import { makeZip } from "../../unit/app/helpers/zip.js";

const REPO = { owner: "acme", repo: "patches" };
const FULL = `${REPO.owner}/${REPO.repo}`;
const TARGET = "debian-6.1-lab";
const quiet = () => undefined;

let forge: Forge;
let server: Server;
let wc = "";
const tokens: Record<string, string> = {};
/** What the collaborator does while a build run is going (set per test). */
let duringRun: (runId: number, sha: string) => Promise<void> = () => Promise.resolve();
/** Whether the lab target has an active patch: build.yml builds nothing for one without. */
let labPatched = true;

const kit = (who: string) =>
  new Octokit({
    auth: tokens[who],
    baseUrl: forge.apiUrl,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });

/** build.yml's stand-in: one artifact for the lab target from this run, then the collaborator. */
async function runBuild(req: RunRequest): Promise<RunResult> {
  if (req.workflowPath !== ".github/workflows/build.yml")
    return { conclusion: "success", jobs: [] };
  const { sha, runId } = req.context;
  if (!labPatched) return { conclusion: "success", jobs: [] };
  const bytes = moduleBytes(`${TARGET}-${String(runId)}`);
  const file = `livepatch-r${String(runId)}-${TARGET}.ko`;
  const report: BuildReport = {
    ...fakeReport(TARGET, ["cmdline-banner", "version-banner"]),
    module: {
      file,
      name: file.replace(/\.ko$/, "").replace(/[-.]/g, "_"),
      sha256: createHash("sha256").update(bytes).digest("hex"),
      length: bytes.length,
      vermagic: "6.1.0 SMP",
    },
    source: {
      repository: FULL,
      commit: sha,
      ref: "refs/heads/main",
      event: "push",
      workflowRun: String(runId),
    },
  };
  const zip = path.join(req.workDir, "artifact.zip");
  await writeFile(
    zip,
    await makeZip([
      { name: "build-report.json", data: JSON.stringify(report) },
      { name: file, data: bytes },
    ]),
  );
  await req.host.uploadArtifact(`build-${TARGET}`, zip);
  await duringRun(runId, sha);
  return { conclusion: "success", jobs: [] };
}

async function completedCheck(sha: string, name: string) {
  const { data } = await kit("maintainer").rest.checks.listForRef({
    ...REPO,
    ref: sha,
    check_name: name,
  });
  const run = data.check_runs[0];
  return run?.status === "completed" ? run : undefined;
}

const publishCheck = (sha: string) => completedCheck(sha, "livepatch / publish");

async function pushCommit(files: Record<string, string>): Promise<string> {
  for (const [p, text] of Object.entries(files)) await writeFile(path.join(wc, p), text);
  await git(wc, "add", "-A");
  await git(wc, "commit", "-q", "-m", "change");
  await git(wc, "push", "-q", authedUrl(forge, FULL, tokens.maintainer ?? ""), "main");
  return (await git(wc, "rev-parse", "HEAD")).stdout.trim();
}

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-forge-publish-"));
  forge = await startForge({
    dataDir: path.join(dir, "forge"),
    runner: { workflowTriggers: (_text, event) => event.name === "push", runWorkflow: runBuild },
  });
  for (const who of ["maintainer", "mallory"]) tokens[who] = (await forge.createUser(who)).token;
  await forge.createOrg(REPO.owner, "maintainer");
  await forge.createRepo(REPO.owner, REPO.repo);
  await forge.addCollaborator(REPO.owner, REPO.repo, "mallory", "push");

  const port = await freePort();
  const app = await forge.registerApp(
    await appManifest(`http://127.0.0.1:${String(port)}/api/github/webhooks`),
  );
  await forge.installApp(app.appId, REPO.owner);
  const key = await generateSigningKey({ name: "forge publisher" });
  const signer = await createOpenpgpSigner(key.privateKey);
  const probot = new Probot({
    appId: app.appId,
    privateKey: app.privateKeyPem,
    secret: app.webhookSecret,
    baseUrl: forge.apiUrl,
    logLevel: "fatal",
    Octokit: ProbotOctokit.defaults((o: object) => ({
      ...o,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  const deps = appDeps({
    signer: () => Promise.resolve(signer),
    appId: app.appId,
    stateDir: path.join(dir, "app-state"),
  });
  const middleware = await createNodeMiddleware(livepatchApp(deps), { probot });
  server = createServer((req, res) => void middleware(req, res));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  wc = await seedWorkingCopy("reviewers:\n  users: [maintainer]\nrequiredApprovals: 1\n");
  // The stub runner builds the lab target only: the repository holds just that one.
  for (const id of await readdir(path.join(wc, "kernels")))
    if (id !== TARGET) await rm(path.join(wc, "kernels", id), { recursive: true });
  await git(wc, "add", "-A");
  await git(wc, "commit", "-q", "--amend", "--no-edit");
}, 120_000);

afterAll(async () => {
  server?.close();
  await forge?.close();
});

describe("the app's signer against a collaborator, through the forge", () => {
  it("5. a trusted run whose artifact the collaborator deleted fails the publish check", async () => {
    duringRun = async (runId) => {
      const { data } = await kit("mallory").rest.actions.listWorkflowRunArtifacts({
        ...REPO,
        run_id: runId,
      });
      for (const a of data.artifacts)
        await kit("mallory").rest.actions.deleteArtifact({ ...REPO, artifact_id: a.id });
    };
    await git(wc, "push", "-q", authedUrl(forge, FULL, tokens.maintainer ?? ""), "main");
    const sha = (await git(wc, "rev-parse", "HEAD")).stdout.trim();
    const check = await waitFor("the publish check", () => publishCheck(sha), 60_000, 250);
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toContain(`no build-${TARGET} artifact`);
    const { data: releases } = await kit("mallory").rest.repos.listReleases(REPO);
    expect(releases).toHaveLength(0);
  });

  it("6. a release the collaborator made at the merge commit is not taken as published", async () => {
    duringRun = async (_runId, sha) => {
      await kit("mallory").rest.repos.createRelease({
        ...REPO,
        tag_name: "v1",
        target_commitish: sha,
        name: "not the app's",
      });
    };
    const sha = await pushCommit({ "README.md": "a change to main\n" });
    const check = await waitFor("the publish check", () => publishCheck(sha), 60_000, 250);
    expect(check.output.title, JSON.stringify(check.output)).toBe("published v2");
    const { data: latest } = await kit("mallory").rest.repos.getLatestRelease(REPO);
    expect(latest.tag_name).toBe("v2");
    expect(latest.author.login).toMatch(/\[bot\]$/);
    expect(latest.assets.map((a) => a.name)).toContain("manifest.json");
  });

  it("4. an older release re-flagged latest gets the flag back from the release event", async () => {
    const { data: theirs } = await kit("mallory").rest.repos.getReleaseByTag({
      ...REPO,
      tag: "v1",
    });
    await kit("mallory").rest.repos.updateRelease({
      ...REPO,
      release_id: theirs.id,
      make_latest: "true",
    });
    const latest = await waitFor(
      "v2 marked latest again",
      async () => {
        const { data } = await kit("mallory").rest.repos.getLatestRelease(REPO);
        return data.tag_name === "v2" ? data : undefined;
      },
      30_000,
      250,
    );
    expect(latest.author.login).toMatch(/\[bot\]$/);
  });

  it("7. a records-only patch reaches the manifest entry and a signed VEX asset; a conflicting record is refused", async () => {
    duringRun = () => Promise.resolve();
    const records = recordsPatchYaml(TARGET);
    await mkdir(path.join(wc, "patches/sk-buff-layout"), { recursive: true });
    const sha = await pushCommit({ "patches/sk-buff-layout/patch.yaml": records });
    const check = await waitFor("the publish check", () => publishCheck(sha), 60_000, 250);
    expect(check.output.title, JSON.stringify(check.output)).toBe("published v3");
    const { data: latest } = await kit("mallory").rest.repos.getLatestRelease(REPO);
    const asset = async (name: string): Promise<string> => {
      const a = latest.assets.find((x) => x.name === name);
      if (a === undefined) throw new Error(`no asset ${name}`);
      const { data } = await kit("mallory").request(
        "GET /repos/{owner}/{repo}/releases/assets/{asset_id}",
        { ...REPO, asset_id: a.id, headers: { accept: "application/octet-stream" } },
      );
      return Buffer.from(data as unknown as ArrayBuffer).toString("utf8");
    };
    const manifest = JSON.parse(await asset("manifest.json")) as {
      kernels: { buildId: string; notLivePatchable?: unknown }[];
    };
    const entry = manifest.kernels[0];
    expect(entry?.notLivePatchable).toEqual([RECORD]);
    const names = latest.assets.map((a) => a.name);
    expect(names).toContain(`vex-${entry?.buildId ?? ""}.json.asc`);
    const vex = JSON.parse(await asset(`vex-${entry?.buildId ?? ""}.json`)) as {
      statements: { vulnerability: { name: string }; status: string }[];
    };
    expect(openvexErrors(vex)).toBe("");
    expect(vex.statements.map((st) => `${st.vulnerability.name} ${st.status}`)).toEqual([
      "CVE-2026-10001 fixed",
      "CVE-2026-10002 fixed",
      "CVE-2024-1234 affected",
    ]);

    // The same CVE declared not live patchable while cmdline-banner live patches it.
    const bad = await pushCommit({
      "patches/sk-buff-layout/patch.yaml": records.replace("CVE-2024-1234", "CVE-2026-10001"),
    });
    const refused = await waitFor("the publish check", () => publishCheck(bad), 60_000, 250);
    expect(refused.conclusion).toBe("failure");
    expect(refused.output.summary).toMatch(/CVE-2026-10001 is declared not live patchable/);
    const { data: still } = await kit("mallory").rest.repos.getLatestRelease(REPO);
    expect(still.tag_name).toBe("v3");
  });

  it("8. the PR lint refuses a record another patch live patches and the comment lists the records", async () => {
    await git(wc, "checkout", "-q", "-b", "records-pr");
    const record = (cve: string) =>
      `title: t\ndescription: d\nkernels: ["${TARGET}"]\nnotLivePatchable:\n  - {cve: ${cve}, reason: changes a struct layout, fixedIn: 6.1.120}\n`;
    for (const id of ["clashes", "needs-reboot"])
      await mkdir(path.join(wc, "patches", id), { recursive: true });
    // version-banner live patches CVE-2026-10002 on the lab kernel.
    await writeFile(path.join(wc, "patches/clashes/patch.yaml"), record("CVE-2026-10002"));
    await writeFile(path.join(wc, "patches/needs-reboot/patch.yaml"), record("CVE-2024-5555"));
    await git(wc, "add", "-A");
    await git(wc, "commit", "-q", "-m", "records");
    await git(wc, "push", "-q", authedUrl(forge, FULL, tokens.mallory ?? ""), "records-pr");
    const head = (await git(wc, "rev-parse", "HEAD")).stdout.trim();
    const { data: pr } = await kit("mallory").rest.pulls.create({
      ...REPO,
      head: "records-pr",
      base: "main",
      title: "records",
    });
    const lint = await waitFor(
      "the lint check",
      () => completedCheck(head, "livepatch / lint"),
      60_000,
      250,
    );
    expect(lint.conclusion).toBe("failure");
    const { data: annotations } = await kit("maintainer").rest.checks.listAnnotations({
      ...REPO,
      check_run_id: lint.id,
    });
    expect(annotations.map((a) => `${a.path} ${a.title ?? ""}`)).toEqual([
      "patches/clashes/patch.yaml CVE_CONFLICT",
    ]);
    expect(annotations[0]?.message).toMatch(/live patched in patch 'version-banner'/);
    const comment = await waitFor(
      "the PR comment",
      async () => {
        const { data } = await kit("maintainer").rest.issues.listComments({
          ...REPO,
          issue_number: pr.number,
        });
        return data.find((c) => c.body?.includes("Not live patchable"));
      },
      30_000,
      250,
    );
    expect(comment.body).toContain(
      "| `CVE-2024-5555` | `needs-reboot` | `debian-6.1-lab` | `reboot into ≥ 6.1.120 (not live patchable: changes a struct layout)` |",
    );
    await git(wc, "checkout", "-q", "main");
  });

  it("9. a merge that withdraws every patch of the target publishes its entry without a module", async () => {
    labPatched = false;
    duringRun = () => Promise.resolve();
    const files: Record<string, string> = {};
    for (const id of ["cmdline-banner", "version-banner"]) {
      const p = `patches/${id}/patch.yaml`;
      files[p] = `${await readFile(path.join(wc, p), "utf8")}withdrawn: {reason: "breaks ${id}"}\n`;
    }
    const sha = await pushCommit(files);
    const check = await waitFor("the publish check", () => publishCheck(sha), 60_000, 250);
    expect(check.output.title, JSON.stringify(check.output)).toBe("published v4");
    const { data: release } = await kit("maintainer").rest.repos.getReleaseByTag({
      ...REPO,
      tag: "v4",
    });
    const asset = release.assets.find((a) => a.name === "manifest.json");
    const res = await fetch(asset?.browser_download_url ?? "", {
      headers: { authorization: `token ${tokens.maintainer ?? ""}` },
    });
    const manifest = ManifestSchema.parse(await res.json());
    expect(manifest.version).toBe(4);
    const entry = manifest.kernels.find((k) => k.target === TARGET);
    expect(entry?.module).toBeUndefined();
    expect(entry?.patches).toEqual([]);
    expect(entry?.withdrawn?.map((w) => [w.id, w.reason, w.version])).toEqual([
      ["cmdline-banner", "breaks cmdline-banner", 4],
      ["version-banner", "breaks version-banner", 4],
    ]);
    // No module is uploaded for it: the release holds the manifests and signatures only.
    expect(release.assets.map((a) => a.name).filter((n) => n.endsWith(".ko"))).toEqual([]);
  });
});
