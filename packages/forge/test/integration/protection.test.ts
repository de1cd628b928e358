import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneRepo, type GitClient } from "./git-client.js";
import {
  installTestApp,
  octokit,
  startReceiver,
  startTestForge,
  type InstalledApp,
  type TestForge,
} from "@livepatch-gitops/test-support/test-forge";

let t: TestForge;
let hooks: Awaited<ReturnType<typeof startReceiver>>;
let app: InstalledApp;
let c: GitClient;
const repo = { owner: "alice", repo: "demo" };

beforeAll(async () => {
  t = await startTestForge();
  hooks = await startReceiver();
  app = await installTestApp(t.forge, hooks.url, { events: [] });
  c = await cloneRepo(`${t.forge.url}/alice/demo.git`, app.owner.token);
  await c.write("README.md", "hello\n");
  await c.commitAll("first");
  await c.git("push", "--quiet", "origin", "main");
});
afterAll(async () => {
  await t.stop();
  await hooks.close();
});

async function openPull(branch: string): Promise<{ number: number; head: string }> {
  await c.git("checkout", "--quiet", "-B", branch, "origin/main");
  await c.write(`${branch}.txt`, `${branch}\n`);
  const head = await c.commitAll(branch);
  await c.git("push", "--quiet", "origin", branch);
  const gh = octokit(t.forge, app.owner.token);
  const { data } = await gh.rest.pulls.create({
    ...repo,
    title: branch,
    head: branch,
    base: "main",
  });
  return { number: data.number, head };
}

describe("protected branches", () => {
  it("refuse a direct push and a merge without the required check", async () => {
    const owner = octokit(t.forge, app.owner.token);
    await owner.rest.repos.updateBranchProtection({
      ...repo,
      branch: "main",
      required_status_checks: {
        strict: false,
        contexts: [],
        checks: [{ context: "build", app_id: app.appId }],
      },
      enforce_admins: true,
      required_pull_request_reviews: null,
      restrictions: null,
    });
    const { data: protection } = await owner.rest.repos.getBranchProtection({
      ...repo,
      branch: "main",
    });
    expect(protection.required_status_checks?.checks).toEqual([
      { context: "build", app_id: app.appId },
    ]);
    const { data: branch } = await owner.rest.repos.getBranch({ ...repo, branch: "main" });
    expect(branch.protected).toBe(true);

    const pr = await openPull("gated");
    await c.git("checkout", "--quiet", "-B", "main", "origin/main");
    await c.write("direct.txt", "direct\n");
    await c.commitAll("direct");
    const push = await c.tryGit("push", "origin", "main");
    expect(push.exitCode).not.toBe(0);
    expect(push.stderr).toContain("protected branch hook declined");

    const err = await owner.rest.pulls
      .merge({ ...repo, pull_number: pr.number })
      .catch((e: { status: number; response: { data: { message: string } } }) => e);
    expect(err).toMatchObject({
      status: 405,
      response: { data: { message: 'Required status check "build" is expected.' } },
    });

    await owner.rest.repos.deleteBranchProtection({ ...repo, branch: "main" });
    const { data: merged } = await owner.rest.pulls.merge({ ...repo, pull_number: pr.number });
    expect(merged.merged).toBe(true);
  });

  it("require approvals from writers on the head commit", async () => {
    const owner = octokit(t.forge, app.owner.token);
    await owner.rest.repos.updateBranchProtection({
      ...repo,
      branch: "main",
      required_status_checks: null,
      enforce_admins: true,
      required_pull_request_reviews: {
        required_approving_review_count: 1,
        dismiss_stale_reviews: true,
      },
      restrictions: null,
    });
    const pr = await openPull("reviewed");
    await expect(owner.rest.pulls.merge({ ...repo, pull_number: pr.number })).rejects.toMatchObject(
      { status: 405 },
    );

    const carol = await t.forge.createUser("carol");
    const reader = await t.forge.createUser("dave");
    await t.forge.addCollaborator("alice", "demo", "carol", "push");
    await t.forge.addCollaborator("alice", "demo", "dave", "pull");
    // An approval from someone without write access does not count.
    await octokit(t.forge, reader.token).rest.pulls.createReview({
      ...repo,
      pull_number: pr.number,
      event: "APPROVE",
    });
    await expect(owner.rest.pulls.merge({ ...repo, pull_number: pr.number })).rejects.toMatchObject(
      { status: 405 },
    );
    await octokit(t.forge, carol.token).rest.pulls.createReview({
      ...repo,
      pull_number: pr.number,
      commit_id: pr.head,
      event: "APPROVE",
    });
    const { data } = await owner.rest.pulls.merge({ ...repo, pull_number: pr.number });
    expect(data.merged).toBe(true);
  });
});
