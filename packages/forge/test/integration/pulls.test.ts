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
import type { Octokit } from "@octokit/rest";

let t: TestForge;
let hooks: Awaited<ReturnType<typeof startReceiver>>;
let app: InstalledApp;
let c: GitClient;
let gh: Octokit;
const repo = { owner: "alice", repo: "demo" };

const events = (name: string) =>
  hooks.received
    .filter((r) => r.headers["x-github-event"] === name)
    .map((r) => JSON.parse(r.body) as Record<string, unknown> & { action?: string });

beforeAll(async () => {
  t = await startTestForge();
  hooks = await startReceiver();
  app = await installTestApp(t.forge, hooks.url);
  c = await cloneRepo(`${t.forge.url}/alice/demo.git`, app.owner.token);
  await c.write("README.md", "hello\n");
  await c.write("src/keep.c", "int a;\n");
  await c.commitAll("first");
  await c.git("push", "--quiet", "origin", "main");
  gh = octokit(t.forge, await app.installationToken());
});
afterAll(async () => {
  await t.stop();
  await hooks.close();
});

async function branchWith(name: string, file: string, text: string): Promise<string> {
  await c.git("checkout", "--quiet", "-B", name, "origin/main");
  await c.write(file, text);
  const sha = await c.commitAll(`change ${file}`);
  await c.git("push", "--quiet", "--force", "origin", name);
  return sha;
}

describe("pull requests", () => {
  it("opens a PR, lists its files with patch text, reviews it at a commit and merges it", async () => {
    const head = await branchWith("feature", "src/keep.c", "int a;\nint b;\n");
    const { data: pr } = await gh.rest.pulls.create({
      ...repo,
      title: "Add b",
      head: "feature",
      base: "main",
      body: "why",
    });
    expect(pr).toMatchObject({
      number: 1,
      state: "open",
      head: { sha: head, ref: "feature" },
      base: { ref: "main" },
    });
    expect(pr.user.login).toBe("livepatch-test[bot]");

    const { data: files } = await gh.rest.pulls.listFiles({ ...repo, pull_number: 1 });
    expect(files).toEqual([
      expect.objectContaining({
        filename: "src/keep.c",
        status: "modified",
        additions: 1,
        deletions: 0,
        patch: "@@ -1 +1,2 @@\n int a;\n+int b;",
      }),
    ]);
    const { data: listed } = await gh.rest.pulls.list({ ...repo, head: "alice:feature" });
    expect(listed.map((p) => p.number)).toEqual([1]);
    expect((await gh.rest.pulls.list({ ...repo, state: "closed" })).data).toEqual([]);

    const bob = await t.forge.createUser("bob");
    await t.forge.addCollaborator("alice", "demo", "bob", "push");
    const asBob = octokit(t.forge, bob.token);
    const { data: review } = await asBob.rest.pulls.createReview({
      ...repo,
      pull_number: 1,
      commit_id: head,
      event: "APPROVE",
    });
    expect(review).toMatchObject({ state: "APPROVED", commit_id: head, user: { login: "bob" } });
    const { data: reviews } = await gh.rest.pulls.listReviews({ ...repo, pull_number: 1 });
    expect(reviews.map((r) => [r.state, r.commit_id])).toEqual([["APPROVED", head]]);
    const { data: dismissed } = await octokit(t.forge, app.owner.token).rest.pulls.dismissReview({
      ...repo,
      pull_number: 1,
      review_id: review.id,
      message: "stale",
    });
    expect(dismissed.state).toBe("DISMISSED");

    // main moves on, so the merge is a real merge commit.
    await c.git("checkout", "--quiet", "-B", "main", "origin/main");
    await c.write("README.md", "hello\nworld\n");
    const mainSha = await c.commitAll("readme");
    await c.git("push", "--quiet", "origin", "main");

    const { data: merged } = await gh.rest.pulls.merge({ ...repo, pull_number: 1, sha: head });
    expect(merged.merged).toBe(true);
    const { data: commit } = await gh.rest.repos.getCommit({ ...repo, ref: merged.sha });
    expect(commit.parents.map((p) => p.sha)).toEqual([mainSha, head]);
    const { data: file } = await gh.rest.repos.getContent({ ...repo, path: "src/keep.c" });
    expect(Buffer.from((file as { content: string }).content, "base64").toString()).toBe(
      "int a;\nint b;\n",
    );
    const { data: after } = await gh.rest.pulls.get({ ...repo, pull_number: 1 });
    expect(after).toMatchObject({ state: "closed", merged: true, merge_commit_sha: merged.sha });
    await expect(gh.rest.pulls.merge({ ...repo, pull_number: 1 })).rejects.toMatchObject({
      status: 405,
    });
    // The PR is found again from its head commit and from its merge commit.
    for (const sha of [head, merged.sha]) {
      const { data: prs } = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
        ...repo,
        commit_sha: sha,
      });
      expect(prs.map((p) => p.number)).toEqual([1]);
    }
    const { data: none } = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: mainSha,
    });
    expect(none).toEqual([]);
    // The merge commit's files, as a recursive tree (a commit peels to its tree).
    const { data: tree } = await gh.rest.git.getTree({
      ...repo,
      tree_sha: merged.sha,
      recursive: "1",
    });
    expect(tree.tree.filter((e) => e.type === "blob").map((e) => e.path)).toContain("src/keep.c");
    expect(tree.tree.find((e) => e.path === "src")).toMatchObject({ type: "tree", mode: "040000" });
    const { data: top } = await gh.rest.git.getTree({ ...repo, tree_sha: "main" });
    expect(top.tree.some((e) => e.path === "src/keep.c")).toBe(false);
    await expect(gh.rest.git.getTree({ ...repo, tree_sha: "nope" })).rejects.toMatchObject({
      status: 404,
    });

    await t.forge.waitIdle();
    expect(events("pull_request").map((e) => e.action)).toEqual(["opened", "closed"]);
    expect(events("pull_request_review").map((e) => e.action)).toEqual(["submitted", "dismissed"]);
    expect(events("push").at(-1)).toMatchObject({ ref: "refs/heads/main", after: merged.sha });
  });

  it("sends synchronize when the head branch moves", async () => {
    await branchWith("sync", "a.txt", "1\n");
    const { data: pr } = await gh.rest.pulls.create({
      ...repo,
      title: "sync",
      head: "sync",
      base: "main",
    });
    await c.write("a.txt", "2\n");
    const second = await c.commitAll("again");
    await c.git("push", "--quiet", "origin", "sync");
    await t.forge.waitIdle();
    const sync = events("pull_request").find((e) => e.action === "synchronize");
    expect(sync).toMatchObject({
      number: pr.number,
      after: second,
      pull_request: { head: { sha: second } },
    });
  });

  it("refuses a conflicting merge with 405", async () => {
    await branchWith("left", "conflict.txt", "left\n");
    const right = await branchWith("right", "conflict.txt", "right\n");
    const { data: pl } = await gh.rest.pulls.create({
      ...repo,
      title: "left",
      head: "left",
      base: "main",
    });
    const { data: pr } = await gh.rest.pulls.create({
      ...repo,
      title: "right",
      head: "right",
      base: "main",
    });
    await gh.rest.pulls.merge({ ...repo, pull_number: pl.number });
    const err = await gh.rest.pulls
      .merge({ ...repo, pull_number: pr.number, sha: right })
      .catch((e: { status: number; response: { data: unknown } }) => e);
    expect(err).toMatchObject({
      status: 405,
      response: { data: { message: "Pull Request is not mergeable" } },
    });
  });

  it("keeps issue comments: create, list, update, delete", async () => {
    const { data: created } = await gh.rest.issues.createComment({
      ...repo,
      issue_number: 1,
      body: "plan: nothing",
    });
    expect(created.performed_via_github_app?.slug).toBe("livepatch-test");
    await gh.rest.issues.updateComment({
      ...repo,
      comment_id: created.id,
      body: "plan: one kernel",
    });
    const { data: list } = await gh.rest.issues.listComments({ ...repo, issue_number: 1 });
    expect(list.map((x) => x.body)).toEqual(["plan: one kernel"]);
    await gh.rest.issues.deleteComment({ ...repo, comment_id: created.id });
    expect((await gh.rest.issues.listComments({ ...repo, issue_number: 1 })).data).toEqual([]);
    await t.forge.waitIdle();
    expect(events("issue_comment").map((e) => e.action)).toEqual(["created", "edited", "deleted"]);
    const readOnly = octokit(
      t.forge,
      await app.installationToken({ permissions: { contents: "read" } }),
    );
    await expect(
      readOnly.rest.issues.createComment({ ...repo, issue_number: 1, body: "x" }),
    ).rejects.toMatchObject({
      status: 403,
      response: { data: { message: "Resource not accessible by integration" } },
    });
  });
});
