/**
 * Changing a pull request's base, as GitHub does it: `pull_request.edited`
 * carries `changes.base` (the old ref and sha), the timeline gains a
 * `base_ref_changed` event with its time, and an unknown base is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneRepo } from "./git-client.js";
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
const repo = { owner: "alice", repo: "demo" };

beforeAll(async () => {
  t = await startTestForge();
  hooks = await startReceiver();
  app = await installTestApp(t.forge, hooks.url);
  const c = await cloneRepo(`${t.forge.url}/alice/demo.git`, app.owner.token);
  await c.write("README.md", "hello\n");
  await c.commitAll("first");
  await c.git("push", "--quiet", "origin", "main");
  await c.git("push", "--quiet", "origin", "main:staging");
  await c.git("checkout", "--quiet", "-b", "topic");
  await c.write("a.txt", "a\n");
  await c.commitAll("topic");
  await c.git("push", "--quiet", "origin", "topic");
});
afterAll(async () => {
  await t.stop();
  await hooks.close();
});

describe("retargeting a pull request", () => {
  it("sends edited with changes.base and records base_ref_changed on the timeline", async () => {
    const gh = octokit(t.forge, await app.installationToken());
    const { data: pr } = await gh.rest.pulls.create({
      ...repo,
      title: "topic",
      head: "topic",
      base: "staging",
    });
    const { data: staging } = await gh.rest.repos.getBranch({ ...repo, branch: "staging" });
    const none = await gh.rest.issues.listEventsForTimeline({ ...repo, issue_number: pr.number });
    expect(none.data).toEqual([]);

    await expect(
      gh.rest.pulls.update({ ...repo, pull_number: pr.number, base: "nowhere" }),
    ).rejects.toMatchObject({ status: 422 });
    const before = Date.now();
    const { data: moved } = await gh.rest.pulls.update({
      ...repo,
      pull_number: pr.number,
      base: "main",
    });
    expect(moved.base.ref).toBe("main");
    await t.forge.waitIdle();

    const edited = hooks.received
      .filter((r) => r.headers["x-github-event"] === "pull_request")
      .map((r) => JSON.parse(r.body) as { action: string; changes?: unknown })
      .filter((e) => e.action === "edited");
    expect(edited).toHaveLength(1);
    expect(edited[0]?.changes).toEqual({
      base: { ref: { from: "staging" }, sha: { from: staging.commit.sha } },
    });

    const { data: timeline } = await gh.rest.issues.listEventsForTimeline({
      ...repo,
      issue_number: pr.number,
    });
    expect(timeline).toHaveLength(1);
    const event = timeline[0] as { event?: string; created_at?: string; actor?: { login: string } };
    expect(event.event).toBe("base_ref_changed");
    expect(Date.parse(event.created_at ?? "")).toBeGreaterThanOrEqual(
      Math.floor(before / 1000) * 1000,
    );

    // A title edit is no retarget: changes names the title only, the timeline is unchanged.
    await gh.rest.pulls.update({ ...repo, pull_number: pr.number, title: "renamed" });
    await t.forge.waitIdle();
    const last = JSON.parse(hooks.received.at(-1)?.body ?? "{}") as { changes?: unknown };
    expect(last.changes).toEqual({ title: { from: "topic" } });
    const after = await gh.rest.issues.listEventsForTimeline({ ...repo, issue_number: pr.number });
    expect(after.data).toHaveLength(1);
  });
});
