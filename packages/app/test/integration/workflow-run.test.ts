/**
 * workflow_run from a pull request's build run, against the forge: a stub
 * runner stands in for build.yml and uploads what each test's build leaves
 * (a good build, a malicious zip, an invalid report, nothing), the forge
 * runs it for the PR and delivers workflow_run; the app reads the run and
 * its artifacts back through GitHub's API.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyFailure } from "@livepatch-gitops/lpctl/builder/kpatch/build-failure";
import { parseKpatchOutput } from "@livepatch-gitops/lpctl/builder/kpatch/kpatch-output";
import { loadRepository } from "@livepatch-gitops/lpctl/builder/repo/read-repo";
import { fakeReport } from "@livepatch-gitops/test-support/report-fixture";
import { REPO_ROOT } from "@livepatch-gitops/test-support/repo-fixture";
import type { RunRequest, RunResult } from "@livepatch-gitops/forge/runner/contract";
import { workKey } from "../../src/work-key.js";
import { makeZip } from "../unit/helpers/zip.js";
import { forFile } from "./helpers/for-file.js";
import { patchesApp, prRuns, TARGET } from "./helpers/patches-app.js";
import { labBuildZip, uploadZip } from "./helpers/publishing-app.js";

const TOUCH = (note: string) => ({
  "patches/cmdline-banner/patch.yaml": `title: Mark /proc/cmdline as live-patched (${note})\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab]\n`,
});
const BUILD = `livepatch / build (${TARGET})`;

/** The build check on `sha` once the run's report was handled. */
const buildCheck = (sha: string) => t.completedCheck(sha, BUILD);

/** What the next pull_request run does (push runs on main build nothing here). */
let build: (req: RunRequest) => Promise<RunResult["conclusion"]> = () => Promise.resolve("success");

const t = forFile(() => patchesApp({ runBuild: prRuns(() => build) }));

describe("workflow_run from a pull_request run", () => {
  it("completes the build checks from the artifacts and updates the comment", async () => {
    build = async (req) => {
      await uploadZip(req, `build-${TARGET}`, await labBuildZip(req));
      return "success";
    };
    const pr = await t.openPatchPr(TOUCH("good"));
    const check = await buildCheck(pr.head);
    expect(check).toMatchObject({ status: "completed", conclusion: "success" });
    expect(check?.text).toContain("cmdline_proc_show");
    const comment = (await t.comments(pr.number))[0]?.body ?? "";
    expect(comment).toContain("changed: `cmdline_proc_show`");
    expect(comment).toContain("never signed");
    const { data: releases } = await t.kit("maintainer").rest.repos.listReleases(t.repo);
    expect(releases).toHaveLength(0);
    // One build check per target, even after the run was reported.
    expect((await t.checks(pr.head)).filter((c) => c.name === BUILD)).toHaveLength(1);
  });

  it("a malicious artifact fails the target's check with the reason", async () => {
    build = async (req) => {
      const zip = await makeZip([{ name: "xx/etc/cron.d/x", data: "* * * * * root sh" }], {
        "xx/etc/cron.d/x": "../etc/cron.d/x",
      });
      await uploadZip(req, `build-${TARGET}`, zip);
      return "success";
    };
    const pr = await t.openPatchPr(TOUCH("zip slip"));
    const check = await buildCheck(pr.head);
    expect(check?.conclusion).toBe("failure");
    expect(check?.summary).toMatch(/artifact was refused: .*build-debian-6\.1-lab/);
  });

  it("an invalid report fails the check naming the field", async () => {
    build = async (req) => {
      const zip = await makeZip([
        { name: "build-report.json", data: '{"schema":1,"target":"debian-6.1-lab"}' },
      ]);
      await uploadZip(req, `build-${TARGET}`, zip);
      return "success";
    };
    const pr = await t.openPatchPr(TOUCH("invalid report"));
    expect((await buildCheck(pr.head))?.summary).toContain("build-report.json: release");
  });

  it("a build the run never reported fails instead of staying queued", async () => {
    build = () => Promise.resolve("failure");
    const pr = await t.openPatchPr(TOUCH("no artifact"));
    const check = await buildCheck(pr.head);
    expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(check?.summary).toContain(`without a build-${TARGET} artifact`);
  });

  it("a payload claiming a push run for a PR run's artifacts publishes nothing", async () => {
    // The PR's build says it was a push build of main.
    build = async (req) => {
      const zip = await labBuildZip(req, { event: "push", ref: "refs/heads/main" });
      await uploadZip(req, `build-${TARGET}`, zip);
      return "success";
    };
    await t.openPatchPr(TOUCH("claims push"));
    const real = (await t.forge.deliveries()).filter((d) => d.event === "workflow_run").at(-1);
    if (!real) throw new Error("the forge delivered no workflow_run");
    const payload = real.payload as { workflow_run: Record<string, unknown> };
    const forged = {
      ...payload,
      workflow_run: { ...payload.workflow_run, event: "push", head_branch: "main" },
    };
    t.requests.length = 0;
    expect(await t.deliver("workflow_run", JSON.stringify(forged), "forged-push")).toBe(200);
    expect(t.requests.some((r) => r.startsWith("POST") && r.includes("/releases"))).toBe(false);
    const { data: releases } = await t.kit("maintainer").rest.repos.listReleases(t.repo);
    expect(releases).toHaveLength(0);
  });
});

let held = 0;

/**
 * A PR opened while the app is down: the forge runs build.yml (it fails at
 * once, uploading nothing) and the app misses the PR's pull_request and the
 * run's workflow_run; returns the PR and those two payloads.
 */
async function prWhileDown() {
  build = () => Promise.resolve("failure");
  t.setDown(true);
  let pr: Awaited<ReturnType<typeof t.openPatchPr>>;
  try {
    pr = await t.openPatchPr(TOUCH(`held ${String(++held)}`));
  } finally {
    t.setDown(false);
  }
  const all = await t.forge.deliveries();
  const opened = all.find(
    (d) =>
      d.event === "pull_request" &&
      (d.payload as { pull_request: { number: number } }).pull_request.number === pr.number,
  );
  const completed = all.find((d) => {
    const run = (d.payload as { workflow_run?: { event: string; head_sha: string } }).workflow_run;
    return d.action === "completed" && run?.event === "pull_request" && run.head_sha === pr.head;
  });
  if (!opened || !completed) throw new Error(`the forge delivered no run for PR ${pr.number}`);
  const run = completed.payload as {
    workflow_run: { id: number; pull_requests: { number: number }[] };
  };
  return { pr, opened: opened.payload as object, completed: run, runId: run.workflow_run.id };
}

describe("workflow_run and the pull_request that queues the build checks, in either order", () => {
  it.each([
    ["as GitHub sends it", (p: object) => p],
    [
      "without pull_requests, as for a fork's run",
      (p: { workflow_run: object }) => ({
        ...p,
        workflow_run: { ...p.workflow_run, pull_requests: [] },
      }),
    ],
  ])(
    "the run handled first: the check still fails and the comment shows the run (%s)",
    async (_, shape) => {
      const { pr, opened, completed, runId } = await prWhileDown();
      // What the forge sends keys the run's work to the PR's queue.
      expect(completed.workflow_run.pull_requests.map((p) => p.number)).toEqual([pr.number]);
      expect(workKey({ id: "a", payload: completed })).toBe(workKey({ id: "b", payload: opened }));
      expect(
        await t.deliver(
          "workflow_run",
          JSON.stringify(shape(completed)),
          `run-first-${String(held)}`,
        ),
      ).toBe(200);
      // Handled: no build check to complete yet.
      expect(await t.check(pr.head, BUILD)).toBeUndefined();
      expect(
        await t.deliver("pull_request", JSON.stringify(opened), `pr-after-${String(held)}`),
      ).toBe(200);

      const check = await buildCheck(pr.head);
      expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
      expect(check?.summary).toContain(
        `workflow run ${String(runId)} ended (failure) without a build-${TARGET} artifact`,
      );
      const comments = await t.comments(pr.number);
      expect(comments).toHaveLength(1);
      expect(comments[0]?.body).toContain(`[Run ${String(runId)}](`);
      expect(comments[0]?.body).not.toContain("Waiting for the build workflow");

      // A redelivery of the pull_request adds nothing and leaves the builds as they are.
      await t.redeliverAs("pull_request", "synchronize");
      expect((await t.checks(pr.head)).filter((c) => c.name === BUILD)).toEqual([check]);
      const again = await t.comments(pr.number);
      expect(again).toHaveLength(1);
      expect(again[0]?.body).toContain(`[Run ${String(runId)}](`);
      expect(again[0]?.body).not.toContain("Waiting for the build workflow");
    },
  );

  it("both queued at once: the run's work waits for the PR's handler", async () => {
    const { pr, opened, completed, runId } = await prWhileDown();
    t.requests.length = 0;
    // Each answer means the work is queued: the PR's first, the run's behind it.
    expect(await t.post("pull_request", JSON.stringify(opened), `pr-${String(held)}`)).toBe(200);
    expect(await t.post("workflow_run", JSON.stringify(completed), `run-${String(held)}`)).toBe(
      200,
    );
    await t.settle();
    const repoPath = `/repos/${t.repo.owner}/${t.repo.repo}`;
    const at = (method: string, path: string) =>
      t.requests.findIndex((r) => r.startsWith(`${method} `) && r.endsWith(repoPath + path));
    const commentCreated = at("POST", `/issues/${String(pr.number)}/comments`);
    const runRead = at("GET", `/actions/runs/${String(runId)}`);
    expect(commentCreated).toBeGreaterThanOrEqual(0);
    expect(runRead).toBeGreaterThan(commentCreated);
    // The run had completed: the PR's handler completed the builds, the run's handler read nothing again.
    expect(
      t.requests.filter((r) => r.endsWith(`/actions/runs/${String(runId)}/artifacts`)),
    ).toHaveLength(1);
    expect(await buildCheck(pr.head)).toMatchObject({ status: "completed", conclusion: "failure" });
  });
});

describe("several completed runs on one head", () => {
  it("the pull_request handler completes the builds from the newest", async () => {
    build = () => Promise.resolve("failure");
    const alice = t.kit("alice");
    t.setDown(true);
    let pr: Awaited<ReturnType<typeof t.openPatchPr>>;
    try {
      pr = await t.openPatchPr(TOUCH(`two runs ${String(++held)}`));
      // Closed and reopened: a second pull_request run on the same commit, and this one builds.
      await alice.rest.pulls.update({ ...t.repo, pull_number: pr.number, state: "closed" });
      await t.settle();
      build = async (req) => {
        await uploadZip(req, `build-${TARGET}`, await labBuildZip(req));
        return "success";
      };
      await alice.rest.pulls.update({ ...t.repo, pull_number: pr.number, state: "open" });
      await t.settle();
    } finally {
      t.setDown(false);
    }
    const { data } = await t.kit("maintainer").rest.actions.listWorkflowRunsForRepo({
      ...t.repo,
      head_sha: pr.head,
      event: "pull_request",
    });
    const runs = data.workflow_runs.map((r) => ({ id: r.id, conclusion: r.conclusion }));
    expect(runs.map((r) => r.conclusion).sort()).toEqual(["failure", "success"]);
    const newest = runs.find((r) => r.conclusion === "success")?.id ?? 0;
    expect(newest).toBe(Math.max(...runs.map((r) => r.id)));
    const opened = (await t.forge.deliveries()).find(
      (d) =>
        d.event === "pull_request" &&
        d.action === "opened" &&
        (d.payload as { pull_request: { number: number } }).pull_request.number === pr.number,
    );
    if (!opened) throw new Error(`the forge delivered no pull_request for PR ${pr.number}`);
    expect(
      await t.deliver("pull_request", JSON.stringify(opened.payload), `two-runs-${String(held)}`),
    ).toBe(200);
    expect(await buildCheck(pr.head)).toMatchObject({ status: "completed", conclusion: "success" });
    expect((await t.comments(pr.number))[0]?.body).toContain(`[run ${String(newest)}](`);
  });
});

describe("workflow_run: the comment says which check decided", () => {
  it("the lint passed and kpatch-build refused: the builds section says the build decided, in kpatch-build's words", async () => {
    // The failure as the builder classifies a real kpatch-build refusal (packages/lpctl/test/fixtures/kpatch-logs).
    const text = readFileSync(
      new URL("../../../lpctl/test/fixtures/kpatch-logs/init-refused.log", import.meta.url),
      "utf8",
    );
    const real = (await loadRepository(REPO_ROOT)).patches;
    const failure = classifyFailure(
      text.split("\n").filter((l) => l !== ""),
      parseKpatchOutput(text),
      real,
      new Map(),
    );
    const report = {
      ...fakeReport(TARGET, ["cmdline-banner"]),
      result: "failure" as const,
      error: failure,
    };
    delete (report as Partial<typeof report>).module;
    build = async (req) => {
      const zip = await makeZip([{ name: "build-report.json", data: JSON.stringify(report) }]);
      await uploadZip(req, `build-${TARGET}`, zip);
      return "success";
    };
    const pr = await t.openPatchPr(TOUCH("kpatch-build refused"));
    expect((await t.completedCheck(pr.head, "livepatch / lint"))?.conclusion).toBe("success");
    expect((await buildCheck(pr.head))?.conclusion).toBe("failure");
    const comment = (await t.comments(pr.number))[0]?.body ?? "";
    expect(comment).toContain("**Which check decided**");
    expect(comment).toContain(
      "**the build decided**: the lint check (diff only) passed (`0 error(s), 0 warning(s)`), but the build refused:",
    );
    expect(comment).toContain("unsupported section change(s)");
    expect(comment).toContain("(rule `init-code`)");
  });
});
