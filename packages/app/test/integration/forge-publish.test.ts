/**
 * Attack audit items 5 and 6, the not-live-patchable records of issue 23
 * (publish, VEX asset, PR lint) and a withdrawal, against the in-process forge: the app runs
 * in-process under Probot's webhook middleware, the forge delivers signed
 * webhooks to it, and a stub Actions runner stands in for build.yml (it
 * uploads a build artifact made like `lpctl build` leaves it, then lets a
 * collaborator with push access act through the REST API while the run is
 * still going).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManifestSchema } from "@livepatch-gitops/lpctl/core/manifest";
import type { RunRequest, RunResult } from "@livepatch-gitops/forge/runner/contract";
import { authedUrl, git, waitFor } from "@livepatch-gitops/test-support/forge-loop";
import {
  FULL,
  REPO,
  TARGET,
  completedCheckOn,
  startPublishingApp,
  uploadLabBuild,
  type PublishingApp,
} from "./helpers/publishing-app.js";
import { openvexErrors } from "@livepatch-gitops/test-support/openvex-schema";
import { RECORD, recordsPatchYaml } from "@livepatch-gitops/test-support/records-patch";

let t: PublishingApp;
/** What the collaborator does while a build run is going (set per test). */
let duringRun: (runId: number, sha: string) => Promise<void> = () => Promise.resolve();
/** Whether the target still has an active patch (a withdrawal leaves it none: nothing is built). */
let labPatched = true;

const kit = (who: string) => t.kit(who);

/** build.yml's stand-in: one artifact for the lab target from this run, then the collaborator. */
async function runBuild(req: RunRequest): Promise<RunResult> {
  if (req.workflowPath !== ".github/workflows/build.yml")
    return { conclusion: "success", jobs: [] };
  if (!labPatched) return { conclusion: "success", jobs: [] };
  await uploadLabBuild(req);
  await duringRun(req.context.runId, req.context.sha);
  return { conclusion: "success", jobs: [] };
}

const completedCheck = (sha: string, name: string) => completedCheckOn(t, sha, name);

const publishCheck = (sha: string) => completedCheck(sha, "livepatch / publish");

async function pushCommit(files: Record<string, string>): Promise<string> {
  for (const [p, text] of Object.entries(files)) await writeFile(path.join(t.wc, p), text);
  await git(t.wc, "add", "-A");
  await git(t.wc, "commit", "-q", "-m", "change");
  await git(t.wc, "push", "-q", authedUrl(t.forge, FULL, t.tokens.maintainer ?? ""), "main");
  return (await git(t.wc, "rev-parse", "HEAD")).stdout.trim();
}

beforeAll(async () => {
  t = await startPublishingApp(runBuild);
}, 120_000);

afterAll(async () => {
  await t.close();
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
    await git(t.wc, "push", "-q", authedUrl(t.forge, FULL, t.tokens.maintainer ?? ""), "main");
    const sha = (await git(t.wc, "rev-parse", "HEAD")).stdout.trim();
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
    await mkdir(path.join(t.wc, "patches/sk-buff-layout"), { recursive: true });
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
    await git(t.wc, "checkout", "-q", "-b", "records-pr");
    const record = (cve: string) =>
      `title: t\ndescription: d\nkernels: ["${TARGET}"]\nnotLivePatchable:\n  - {cve: ${cve}, reason: changes a struct layout, fixedIn: 6.1.120}\n`;
    for (const id of ["clashes", "needs-reboot"])
      await mkdir(path.join(t.wc, "patches", id), { recursive: true });
    // version-banner live patches CVE-2026-10002 on the lab kernel.
    await writeFile(path.join(t.wc, "patches/clashes/patch.yaml"), record("CVE-2026-10002"));
    await writeFile(path.join(t.wc, "patches/needs-reboot/patch.yaml"), record("CVE-2024-5555"));
    await git(t.wc, "add", "-A");
    await git(t.wc, "commit", "-q", "-m", "records");
    await git(t.wc, "push", "-q", authedUrl(t.forge, FULL, t.tokens.mallory ?? ""), "records-pr");
    const head = (await git(t.wc, "rev-parse", "HEAD")).stdout.trim();
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
    await git(t.wc, "checkout", "-q", "main");
  });

  it("9. a merge that withdraws every patch of the target publishes its entry without a module", async () => {
    labPatched = false;
    duringRun = () => Promise.resolve();
    const files: Record<string, string> = {};
    for (const id of ["cmdline-banner", "version-banner"]) {
      const p = `patches/${id}/patch.yaml`;
      files[p] =
        `${await readFile(path.join(t.wc, p), "utf8")}withdrawn: {reason: "breaks ${id}"}\n`;
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
      headers: { authorization: `token ${t.tokens.maintainer ?? ""}` },
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
