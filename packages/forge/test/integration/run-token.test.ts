import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueRunToken } from "../../src/workflow-runs/run-token.js";
import { openDb, findRepo } from "../../src/model/db.js";
import { Store } from "../../src/persistence/state-tables.js";
import { octokit, startTestForge, type TestForge } from "@livepatch-gitops/test-support/test-forge";

let t: TestForge;
beforeAll(async () => {
  t = await startTestForge();
  await t.forge.createUser("alice");
  await t.forge.createRepo("alice", "demo", { private: true });
  await t.forge.createRepo("alice", "other", { private: true });
});
afterAll(async () => {
  await t.stop();
});

describe("a workflow run's token", () => {
  it("reads its own repository only, and writes nothing", async () => {
    // Issued against the forge's own state the way the Actions area does, then used over HTTP.
    await t.forge.close();
    const store = await Store.open(t.dataDir);
    const db = openDb(store);
    const repo = findRepo(db, "alice", "demo");
    if (!repo) throw new TypeError("no repo");
    const ctx = { db, now: () => new Date() } as unknown as Parameters<typeof issueRunToken>[0];
    const { token } = issueRunToken(ctx, repo, 1);
    await store.commit();
    const restarted = await startTestForge({ dataDir: t.dataDir });
    t = restarted;

    const gh = octokit(t.forge, token);
    const { data } = await gh.rest.repos.get({ owner: "alice", repo: "demo" });
    expect(data.full_name).toBe("alice/demo");
    await expect(gh.rest.repos.get({ owner: "alice", repo: "other" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      gh.rest.pulls.create({ owner: "alice", repo: "demo", title: "x", head: "a", base: "main" }),
    ).rejects.toMatchObject({
      status: 403,
    });
  });
});
