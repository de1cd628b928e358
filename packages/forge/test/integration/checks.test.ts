import { verify } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokit } from "@livepatch-gitops/test-support/test-forge";
import {
  pushFiles,
  received,
  startAreas,
  type AreasSetup,
} from "@livepatch-gitops/test-support/forge-areas-helpers";

let s: AreasSetup;
let sha: string;

beforeAll(async () => {
  s = await startAreas();
  sha = await pushFiles(s.t.forge.url, s.app.owner.token, "alice/demo", { "README.md": "hi\n" });
});
afterAll(() => s.stop());

const annotations = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    path: "patches/x/fix.patch",
    start_line: from + i + 1,
    end_line: from + i + 1,
    annotation_level: "warning" as const,
    message: `note ${from + i}`,
  }));

const errorOf = (e: unknown) => e as { status: number; response: { data: { message: string } } };

describe("check runs", () => {
  it("appends 120 annotations over three updates and completes the run and its suite", async () => {
    const gh = octokit(s.t.forge, await s.app.installationToken());
    const base = { owner: "alice", repo: "demo" };
    const { data: run } = await gh.rest.checks.create({
      ...base,
      name: "livepatch / lint",
      head_sha: sha,
      status: "in_progress",
      output: { title: "Lint", summary: "running", annotations: annotations(0, 50) },
    });
    expect(run).toMatchObject({ status: "in_progress", conclusion: null, head_sha: sha });
    await gh.rest.checks.update({
      ...base,
      check_run_id: run.id,
      output: { title: "Lint", summary: "more", annotations: annotations(50, 50) },
    });
    const { data: done } = await gh.rest.checks.update({
      ...base,
      check_run_id: run.id,
      status: "completed",
      conclusion: "failure",
      output: { title: "Lint", summary: "20 more", annotations: annotations(100, 20) },
    });
    expect(done.output.annotations_count).toBe(120);
    expect(done.completed_at).not.toBeNull();
    const all = await gh.paginate(gh.rest.checks.listAnnotations, {
      ...base,
      check_run_id: run.id,
      per_page: 100,
    });
    expect(all.map((a) => a.message)).toEqual(annotations(0, 120).map((a) => a.message));

    const { data: list } = await gh.rest.checks.listForRef({ ...base, ref: sha });
    expect(list.check_runs.map((r) => r.id)).toEqual([run.id]);
    const { data: byName } = await gh.rest.checks.listForRef({
      ...base,
      ref: "main",
      check_name: "nope",
    });
    expect(byName.total_count).toBe(0);
    const { data: suite } = await gh.rest.checks.getSuite({
      ...base,
      check_suite_id: done.check_suite?.id ?? 0,
    });
    expect(suite).toMatchObject({
      status: "completed",
      conclusion: "failure",
      head_branch: "main",
    });
    const { data: inSuite } = await gh.rest.checks.listForSuite({
      ...base,
      check_suite_id: suite.id,
    });
    expect(inSuite.total_count).toBe(1);
    const { data: suites } = await gh.rest.checks.listSuitesForRef({ ...base, ref: sha });
    expect(suites.check_suites.map((x) => x.id)).toEqual([suite.id]);

    await s.t.forge.waitIdle();
    const created = received(s.hooks, "check_run", "created");
    const completed = received(s.hooks, "check_run", "completed");
    expect(created.map((p) => (p.check_run as { id: number }).id)).toContain(run.id);
    expect(completed.map((p) => (p.check_run as { id: number }).id)).toContain(run.id);
    expect(received(s.hooks, "check_suite", "completed")).toHaveLength(1);
    for (const r of s.hooks.received.filter((x) => x.headers["x-github-event"] === "check_run")) {
      expect(
        await verify(s.app.webhookSecret, r.body, String(r.headers["x-hub-signature-256"])),
      ).toBe(true);
    }
  });

  it("refuses 51 annotations in one request, a completed run without conclusion, and an unknown sha", async () => {
    const gh = octokit(s.t.forge, await s.app.installationToken());
    const base = { owner: "alice", repo: "demo", name: "x", head_sha: sha };
    const tooMany = await gh.rest.checks
      .create({ ...base, output: { title: "t", summary: "s", annotations: annotations(0, 51) } })
      .catch(errorOf);
    expect(tooMany).toMatchObject({ status: 422 });
    const noConclusion = await gh.rest.checks
      .create({ ...base, status: "completed" })
      .catch(errorOf);
    expect(noConclusion).toMatchObject({ status: 422 });
    const unknown = await gh.rest.checks
      .create({ ...base, head_sha: "1".repeat(40) })
      .catch(errorOf);
    expect(unknown).toMatchObject({ status: 422 });
  });

  it("lets only GitHub Apps create check runs (a user token gets 403)", async () => {
    const gh = octokit(s.t.forge, s.app.owner.token);
    const err = await gh.rest.checks
      .create({ owner: "alice", repo: "demo", name: "x", head_sha: sha })
      .catch(errorOf);
    expect(err).toMatchObject({ status: 403 });
    expect(errorOf(err).response.data.message).toBe("You must authenticate via a GitHub App.");
  });

  it("sends check_run.rerequested to the owning app", async () => {
    const gh = octokit(s.t.forge, await s.app.installationToken());
    const { data: run } = await gh.rest.checks.create({
      owner: "alice",
      repo: "demo",
      name: "again",
      head_sha: sha,
      conclusion: "success",
    });
    const res = await gh.rest.checks.rerequestRun({
      owner: "alice",
      repo: "demo",
      check_run_id: run.id,
    });
    expect(res.status).toBe(201);
    await s.t.forge.waitIdle();
    const rr = received(s.hooks, "check_run", "rerequested");
    expect(rr.map((p) => (p.check_run as { id: number }).id)).toEqual([run.id]);
  });
});

describe("commit statuses", () => {
  it("creates statuses, lists them newest first and combines the latest per context", async () => {
    const gh = octokit(s.t.forge, await s.app.installationToken());
    const base = { owner: "alice", repo: "demo", sha };
    await gh.rest.repos.createCommitStatus({ ...base, state: "pending", context: "ci/a" });
    await gh.rest.repos.createCommitStatus({ ...base, state: "success", context: "ci/a" });
    const { data: b } = await gh.rest.repos.createCommitStatus({
      ...base,
      state: "success",
      context: "ci/b",
      target_url: "http://127.0.0.1/ci/b",
      description: "ok",
    });
    expect(b).toMatchObject({ state: "success", context: "ci/b", description: "ok" });
    const { data: list } = await gh.rest.repos.listCommitStatusesForRef({
      owner: "alice",
      repo: "demo",
      ref: sha,
    });
    expect(list.map((x) => `${x.context}:${x.state}`)).toEqual([
      "ci/b:success",
      "ci/a:success",
      "ci/a:pending",
    ]);
    const { data: combined } = await gh.rest.repos.getCombinedStatusForRef({
      owner: "alice",
      repo: "demo",
      ref: "main",
    });
    expect(combined).toMatchObject({ state: "success", sha, total_count: 2 });
    await gh.rest.repos.createCommitStatus({ ...base, state: "error", context: "ci/c" });
    const { data: again } = await gh.rest.repos.getCombinedStatusForRef({
      owner: "alice",
      repo: "demo",
      ref: sha,
    });
    expect(again.state).toBe("failure");
    const bad = await gh.rest.repos
      .createCommitStatus({ ...base, state: "great" as "success" })
      .catch(errorOf);
    expect(bad).toMatchObject({ status: 422 });
    await s.t.forge.waitIdle();
    expect(received(s.hooks, "status").map((p) => p.state)).toEqual([
      "pending",
      "success",
      "success",
      "error",
    ]);
  });

  it("kept every response and webhook within GitHub's schemas", async () => {
    await s.t.forge.waitIdle();
    const violations = (await s.t.forge.deliveries())
      .filter((d) => d.violation)
      .map((d) => d.violation);
    expect([...s.conf.violations, ...violations]).toEqual([]);
    expect(s.conf.checked).toContain("POST /repos/{owner}/{repo}/check-runs 201");
    expect(s.conf.checked).toContain("webhook check-suite-completed");
  });
});
