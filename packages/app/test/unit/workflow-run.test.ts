import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyFailure } from "@livepatch-gitops/lpctl/builder/kpatch/build-failure";
import { parseKpatchOutput } from "@livepatch-gitops/lpctl/builder/kpatch/kpatch-output";
import { loadRepository } from "@livepatch-gitops/lpctl/builder/repo/read-repo";
import { fakeReport } from "@livepatch-gitops/test-support/report-fixture";
import { REPO_ROOT } from "@livepatch-gitops/test-support/repo-fixture";
import { verifyManifest } from "@livepatch-gitops/lpctl/core/verify/index";
import { workflowRunEvent } from "./helpers/payloads.js";
import { addRun, buildArtifact, TARGET } from "./helpers/runs.js";
import { scenario } from "./helpers/scenario.js";
import { makeZip } from "./helpers/zip.js";

const buildCheck = (s: Awaited<ReturnType<typeof scenario>>["s"], sha: string, target = TARGET) =>
  s.checkRuns.find((c) => c.headSha === sha && c.name === `livepatch / build (${target})`);

const TOUCH = {
  "patches/cmdline-banner/patch.yaml":
    "title: Mark /proc/cmdline as live-patched\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab]\n",
};

describe("workflow_run from a push run on the default branch", () => {
  async function merged() {
    const sc = await scenario();
    const pr = await sc.openPr(TOUCH);
    // Merge: main moves to a merge commit of the PR head.
    const merge = sc.s.commit(pr.headSha, {}, "web-flow");
    sc.s.branches.set("main", merge);
    Object.assign(pr, { state: "closed", mergedAt: "2026-11-30T12:00:00Z", mergeSha: merge });
    return { ...sc, pr, merge };
  }

  it("publishes v1 with the signed manifest and the module, and comments on the merged PR", async () => {
    const { s, receive, pr, merge, publicKey } = await merged();
    const run = addRun(s, { event: "push", headSha: merge, headBranch: "main" });
    run.artifacts.push(
      await buildArtifact(s, { id: run.id, event: "push", sha: merge, ref: "refs/heads/main" }),
    );
    await receive("workflow_run", workflowRunEvent(run));
    expect(s.releases.map((r) => [r.tag, r.commit, r.latest])).toEqual([["v1", merge, true]]);
    const assets = new Map(s.releases[0]?.assets.map((a) => [a.name, a.bytes]));
    const module = [...assets.keys()].find((n) => n.endsWith(".ko"));
    expect(module).toBeDefined();
    expect(assets.has(`${module}.asc`)).toBe(true);
    const { manifest } = await verifyManifest({
      manifest: assets.get("manifest.json") as Uint8Array,
      signature: assets.get("manifest.json.asc") as Uint8Array,
      keys: [publicKey],
      now: new Date(),
    });
    expect(manifest.version).toBe(1);
    expect(manifest.kernels.map((k) => [k.target, k.commit, k.patches.map((p) => p.id)])).toEqual([
      [TARGET, merge, ["cmdline-banner", "version-banner"]],
    ]);
    expect(manifest.kernels[0]?.patches[0]?.pr).toBe(pr.number);
    expect(s.comments.find((c) => c.issue === pr.number)?.body).toContain("Published [v1]");
    const publish = s.checkRuns.find(
      (c) => c.headSha === merge && c.name === "livepatch / publish",
    );
    expect(publish?.conclusion).toBe("success");
  });

  it("a redelivered run publishes nothing new", async () => {
    const { s, receive, merge, clock } = await merged();
    const run = addRun(s, { event: "push", headSha: merge, headBranch: "main" });
    run.artifacts.push(
      await buildArtifact(s, { id: run.id, event: "push", sha: merge, ref: "refs/heads/main" }),
    );
    await receive("workflow_run", workflowRunEvent(run), "d-1");
    const assets = s.releases[0]?.assets.length;
    // Past the replay window (within it the same payload is dropped before any handler).
    clock.now = new Date(clock.now.getTime() + 2 * 3_600_000);
    await receive("workflow_run", workflowRunEvent(run), "d-2");
    expect(s.releases.map((r) => r.tag)).toEqual(["v1"]);
    expect(s.releases[0]?.assets.length).toBe(assets);
    const publish = s.checkRuns.filter(
      (c) => c.headSha === merge && c.name === "livepatch / publish",
    );
    expect(publish).toHaveLength(1);
    expect(publish[0]?.output.title).toBe("already published as v1");
  });

  it("reports built from another commit are refused with a failed publish check", async () => {
    const { s, receive, merge, pr } = await merged();
    const run = addRun(s, { event: "push", headSha: merge, headBranch: "main" });
    run.artifacts.push(
      await buildArtifact(s, {
        id: run.id,
        event: "push",
        sha: pr.headSha,
        ref: "refs/heads/main",
      }),
    );
    await receive("workflow_run", workflowRunEvent(run));
    expect(s.releases.filter((r) => r.assets.length > 0)).toHaveLength(0);
    const publish = s.checkRuns.find(
      (c) => c.headSha === merge && c.name === "livepatch / publish",
    );
    expect(publish?.conclusion).toBe("failure");
    expect(publish?.output.summary).toContain("refusing to sign");
  });

  it("a push run on another branch is not trusted", async () => {
    const { s, receive, pr } = await merged();
    const run = addRun(s, { event: "push", headSha: pr.headSha, headBranch: pr.headRef });
    run.artifacts.push(
      await buildArtifact(s, {
        id: run.id,
        event: "push",
        sha: pr.headSha,
        ref: `refs/heads/${pr.headRef}`,
      }),
    );
    await receive("workflow_run", workflowRunEvent(run));
    expect(s.releases).toHaveLength(0);
    expect(
      s.checkRuns.find((c) => c.headSha === pr.headSha && c.name === "livepatch / publish")?.output
        .summary,
    ).toContain("not the default branch");
  });
});

describe("workflow_run: the comment says which check decided", () => {
  it("the lint passed and kpatch-build refused: the builds section says the build decided, in kpatch-build's words", async () => {
    const { s, openPr, receive } = await scenario();
    const pr = await openPr(TOUCH);
    const lint = s.checkRuns.find((c) => c.headSha === pr.headSha && c.name === "livepatch / lint");
    expect(lint?.conclusion).toBe("success");
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
    const run = addRun(s, { event: "pull_request", headSha: pr.headSha, headBranch: pr.headRef });
    run.artifacts.push({
      id: s.nextId(),
      name: `build-${TARGET}`,
      zip: await makeZip([{ name: "build-report.json", data: JSON.stringify(report) }]),
    });
    await receive("workflow_run", workflowRunEvent(run));
    expect(buildCheck(s, pr.headSha)?.conclusion).toBe("failure");
    const comment = s.comments.find((c) => c.issue === pr.number)?.body ?? "";
    expect(comment).toContain("**Which check decided**");
    expect(comment).toContain(
      "**the build decided**: the lint check (diff only) passed (`0 error(s), 0 warning(s)`), but the build refused:",
    );
    expect(comment).toContain("unsupported section change(s)");
    expect(comment).toContain("(rule `init-code`)");
  });
});
