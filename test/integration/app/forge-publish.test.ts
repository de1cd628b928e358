/**
 * Attack audit items 5 and 6 against the in-process forge: the app runs
 * in-process under Probot's webhook middleware, the forge delivers signed
 * webhooks to it, and a stub Actions runner stands in for build.yml (it
 * uploads a build artifact made like `lpctl build` leaves it, then lets a
 * collaborator with push access act through the REST API while the run is
 * still going).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunRequest, RunResult } from "../../../src/forge/runner/contract.js";
import { authedUrl, git, waitFor } from "../../e2e/helpers/forge-loop.js";
import {
  FULL,
  REPO,
  TARGET,
  startPublishingApp,
  uploadLabBuild,
  type PublishingApp,
} from "./helpers/publishing-app.js";

let t: PublishingApp;
/** What the collaborator does while a build run is going (set per test). */
let duringRun: (runId: number, sha: string) => Promise<void> = () => Promise.resolve();

const kit = (who: string) => t.kit(who);

/** build.yml's stand-in: one artifact for the lab target from this run, then the collaborator. */
async function runBuild(req: RunRequest): Promise<RunResult> {
  if (req.workflowPath !== ".github/workflows/build.yml")
    return { conclusion: "success", jobs: [] };
  await uploadLabBuild(req);
  await duringRun(req.context.runId, req.context.sha);
  return { conclusion: "success", jobs: [] };
}

async function publishCheck(sha: string) {
  const { data } = await kit("maintainer").rest.checks.listForRef({
    ...REPO,
    ref: sha,
    check_name: "livepatch / publish",
  });
  const run = data.check_runs[0];
  return run?.status === "completed" ? run : undefined;
}

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
});
