import type { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeRunner, type FakeRunner } from "./fake-runner.js";
import { octokit } from "@livepatch-gitops/test-support/test-forge";
import {
  pushFiles,
  received,
  startAreas,
  type AreasSetup,
} from "@livepatch-gitops/test-support/forge-areas-helpers";

let s: AreasSetup;
let runner: FakeRunner;
let gh: Octokit;
let sha: string;
const base = { owner: "alice", repo: "demo" };

const WORKFLOWS = {
  ".github/workflows/build.yml":
    "name: Build\non:\n  push:\n    branches: [main]\njobs:\n  plan: {}\n",
  ".github/workflows/manual.yml": "name: Manual\non: workflow_dispatch\njobs:\n  go: {}\n",
  ".github/workflows/remote.yaml":
    "on: [repository_dispatch]\njobs:\n  react:\n    fake-fail: true\n",
  ".github/workflows/nested/ignored.yml": "on: push\njobs:\n  never: {}\n",
};

beforeAll(async () => {
  runner = fakeRunner();
  s = await startAreas({ runner, runnerEnv: { SHARED_CACHE: "/srv/cache" } });
  sha = await pushFiles(s.t.forge.url, s.app.owner.token, "alice/demo", WORKFLOWS);
  await s.t.forge.waitIdle();
  gh = octokit(s.t.forge, await s.app.installationToken());
});
afterAll(() => s.stop());

const runsOf = (action: string) =>
  received(s.hooks, "workflow_run", action).map((p) => p.workflow_run as Record<string, unknown>);

async function followText(
  url: string,
): Promise<{ status: number; location: string; text: string }> {
  const first = await fetch(url, {
    redirect: "manual",
    headers: { authorization: `token ${s.app.owner.token}` },
  });
  const location = first.headers.get("location") ?? "";
  const text = location ? await (await fetch(location)).text() : "";
  return { status: first.status, location, text };
}

describe("workflow runs from a push", () => {
  it("runs the push workflow once and reports requested, in_progress and completed", () => {
    expect(runner.requests.map((r) => r.workflowPath)).toEqual([".github/workflows/build.yml"]);
    const ctx = runner.requests[0]?.context;
    expect(ctx).toMatchObject({
      sha,
      ref: "refs/heads/main",
      repository: "alice/demo",
      runNumber: 1,
    });
    // The runner machine's environment (ForgeOptions.runnerEnv) reaches every run.
    expect(runner.requests[0]?.runnerEnv).toEqual({ SHARED_CACHE: "/srv/cache" });
    for (const action of ["requested", "in_progress", "completed"]) {
      expect(runsOf(action), action).toHaveLength(1);
    }
    expect(runsOf("completed")[0]).toMatchObject({
      status: "completed",
      conclusion: "success",
      head_sha: sha,
      head_branch: "main",
      event: "push",
      path: ".github/workflows/build.yml",
      run_number: 1,
      run_attempt: 1,
      pull_requests: [],
    });
  });

  it("lists runs filtered by event, branch and head_sha, and the workflows", async () => {
    const list = async (q: Record<string, string>) =>
      (await gh.rest.actions.listWorkflowRunsForRepo({ ...base, ...q })).data.total_count;
    expect(await list({ event: "push", branch: "main", head_sha: sha })).toBe(1);
    expect(await list({ event: "pull_request" })).toBe(0);
    expect(await list({ branch: "other" })).toBe(0);
    expect(await list({ status: "success" })).toBe(1);
    const { data: wfs } = await gh.rest.actions.listRepoWorkflows(base);
    expect(wfs.workflows.map((w) => w.path).sort()).toEqual([
      ".github/workflows/build.yml",
      ".github/workflows/manual.yml",
      ".github/workflows/remote.yaml",
    ]);
    const { data: build } = await gh.rest.actions.getWorkflow({
      ...base,
      workflow_id: "build.yml",
    });
    expect(build.name).toBe("Build");
    const { data: runs } = await gh.rest.actions.listWorkflowRuns({
      ...base,
      workflow_id: build.id,
    });
    const run = runs.workflow_runs[0];
    expect(run?.head_commit?.id).toBe(sha);
    const { data: got } = await gh.rest.actions.getWorkflowRun({ ...base, run_id: run?.id ?? 0 });
    expect(got.conclusion).toBe("success");
  });

  it("keeps jobs and their logs: the checkout has the commit and no credentials; the run token only reads", async () => {
    const { data: runs } = await gh.rest.actions.listWorkflowRunsForRepo({
      ...base,
      event: "push",
    });
    const runId = runs.workflow_runs[0]?.id ?? 0;
    const { data: jobs } = await gh.rest.actions.listJobsForWorkflowRun({ ...base, run_id: runId });
    expect(jobs.jobs.map((j) => [j.name, j.status, j.conclusion])).toEqual([
      ["plan", "completed", "success"],
    ]);
    const job = jobs.jobs[0];
    const { data: one } = await gh.rest.actions.getJobForWorkflowRun({
      ...base,
      job_id: job?.id ?? 0,
    });
    expect(one).toMatchObject({ name: "plan", run_id: runId, head_sha: sha });
    const log = await followText(
      `${s.t.forge.apiUrl}/repos/alice/demo/actions/jobs/${job?.id ?? 0}/logs`,
    );
    expect(log.status).toBe(302);
    expect(log.text).toContain(`job plan on ${sha}`);
    expect(log.text).toContain("files: .git .github");
    expect(log.text).toContain("no credentials in .git/config");
    expect(log.text).toContain("token read 200 write 403");
    expect(log.text).toMatch(/second upload: .*already has an artifact/);
    const token = runner.requests[0]?.context.token ?? "";
    const after = await fetch(`${s.t.forge.apiUrl}/repos/alice/demo`, {
      headers: { authorization: `token ${token}` },
    });
    expect(after.status).toBe(401);
  });

  it("a test's lying storage: an artifact listed with another size, served past its end", async () => {
    const { data: arts } = await gh.rest.actions.listArtifactsForRepo({
      ...base,
      name: "plan-output",
    });
    const real = arts.artifacts[0];
    const id = real?.id ?? 0;
    const extra = 3 * 1024 * 1024 + 5;
    s.t.forge.lieAboutArtifact({ name: "plan-output", listedSize: 7, extraBytes: extra });
    const { data: lied } = await gh.rest.actions.getArtifact({ ...base, artifact_id: id });
    expect(lied.size_in_bytes).toBe(7);
    const bytes = await gh.rest.actions.downloadArtifact({
      ...base,
      artifact_id: id,
      archive_format: "zip",
    });
    const buf = Buffer.from(bytes.data as ArrayBuffer);
    expect(buf.length).toBe((real?.size_in_bytes ?? 0) + extra);
    expect(buf.subarray(0, 2).toString()).toBe("PK");
    expect(s.t.forge.artifactLie("plan-output")?.extraServed).toBe(extra);
    s.t.forge.clearFaults();
    const { data: honest } = await gh.rest.actions.getArtifact({ ...base, artifact_id: id });
    expect(honest.size_in_bytes).toBe(real?.size_in_bytes);
  });

  it("lists, downloads (302 to a short-lived URL) and deletes artifacts", async () => {
    const { data: runs } = await gh.rest.actions.listWorkflowRunsForRepo({
      ...base,
      event: "push",
    });
    const run = runs.workflow_runs[0];
    const { data: arts } = await gh.rest.actions.listWorkflowRunArtifacts({
      ...base,
      run_id: run?.id ?? 0,
    });
    expect(arts.artifacts.map((a) => a.name)).toEqual(["plan-output"]);
    const art = arts.artifacts[0];
    expect(art).toMatchObject({
      expired: false,
      workflow_run: {
        id: run?.id,
        head_sha: sha,
        head_branch: "main",
        repository_id: run?.repository.id,
      },
    });
    const { data: byName } = await gh.rest.actions.listArtifactsForRepo({ ...base, name: "nope" });
    expect(byName.total_count).toBe(0);
    const zip = await followText(art?.archive_download_url ?? "");
    expect(zip.status).toBe(302);
    expect(zip.location).toMatch(/\/_storage\/artifact\/\d+\?expires=/);
    const bytes = await gh.rest.actions.downloadArtifact({
      ...base,
      artifact_id: art?.id ?? 0,
      archive_format: "zip",
    });
    const buf = Buffer.from(bytes.data as ArrayBuffer);
    expect(buf.length).toBe(art?.size_in_bytes);
    expect(buf.subarray(0, 2).toString()).toBe("PK");
    expect(buf.includes(Buffer.from("result.txt"))).toBe(true);
    const { data: one } = await gh.rest.actions.getArtifact({ ...base, artifact_id: art?.id ?? 0 });
    expect(one.name).toBe("plan-output");
    await gh.rest.actions.deleteArtifact({ ...base, artifact_id: art?.id ?? 0 });
    const gone = await gh.rest.actions
      .getArtifact({ ...base, artifact_id: art?.id ?? 0 })
      .catch((e: { status: number }) => e.status);
    expect(gone).toBe(404);
  });
});

describe("dispatches", () => {
  it("workflow_dispatch answers 204, raises the webhook and runs only that workflow", async () => {
    const res = await gh.rest.actions.createWorkflowDispatch({
      ...base,
      workflow_id: "manual.yml",
      ref: "main",
      inputs: { level: "2" },
    });
    expect(res.status).toBe(204);
    await s.t.forge.waitIdle();
    expect(received(s.hooks, "workflow_dispatch")).toEqual([
      expect.objectContaining({
        inputs: { level: "2" },
        ref: "refs/heads/main",
        workflow: ".github/workflows/manual.yml",
      }),
    ]);
    const { data } = await gh.rest.actions.listWorkflowRunsForRepo({
      ...base,
      event: "workflow_dispatch",
    });
    expect(data.workflow_runs.map((r) => [r.path, r.conclusion])).toEqual([
      [".github/workflows/manual.yml", "success"],
    ]);
    const refused = await gh.rest.actions
      .createWorkflowDispatch({ ...base, workflow_id: "build.yml", ref: "main" })
      .catch((e: { status: number }) => e.status);
    expect(refused).toBe(422);
  });

  it("repository_dispatch answers 204, raises the webhook and runs a failing workflow to completion", async () => {
    const res = await gh.rest.repos.createDispatchEvent({
      ...base,
      event_type: "sample.collected",
      client_payload: { id: 7 },
    });
    expect(res.status).toBe(204);
    await s.t.forge.waitIdle();
    expect(received(s.hooks, "repository_dispatch")).toEqual([
      expect.objectContaining({
        action: "sample.collected",
        branch: "main",
        client_payload: { id: 7 },
      }),
    ]);
    const { data } = await gh.rest.actions.listWorkflowRunsForRepo({
      ...base,
      event: "repository_dispatch",
    });
    expect(data.workflow_runs.map((r) => [r.name, r.conclusion])).toEqual([
      [".github/workflows/remote.yaml", "failure"],
    ]);
    expect(runsOf("completed").map((r) => r.conclusion)).toContain("failure");
  });

  it("kept every response and webhook within GitHub's schemas", async () => {
    await s.t.forge.waitIdle();
    const violations = (await s.t.forge.deliveries())
      .filter((d) => d.violation)
      .map((d) => d.violation);
    expect([...s.conf.violations, ...violations]).toEqual([]);
    expect(s.conf.checked).toContain("webhook workflow-run-completed");
    expect(s.conf.checked).toContain(
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts 200",
    );
  });
});
