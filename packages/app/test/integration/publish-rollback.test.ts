/**
 * Attack audit items 4–6 on the forge, through real pushes to main, build
 * runs (a stub for build.yml), release events and a repository_dispatch: a
 * collaborator with push access (dave) must not roll a release back,
 * suppress a merged fix, or pass their own release or tag off as the app's.
 * One forge; the tests run in order and each builds on the releases before
 * it (v1, v2, then v3 … v9).
 */
import { describe, expect, it } from "vitest";
import { authedUrl } from "@livepatch-gitops/test-support/forge-loop";
import { BANNER, LAB2, TARGET, patchYaml, publishScenario } from "./helpers/publish-scenario.js";
import { forFile } from "./helpers/for-file.js";

const sc = forFile(() => publishScenario());

const dave = () => sc.kit("dave");
/** The maintainer pushes `changes` to main without waiting (from inside a run). */
async function pushNow(changes: Record<string, string>): Promise<string> {
  const sha = await sc.wc.commit(changes, sc.me("maintainer"));
  await sc.wc.push("main", sc.tokens.maintainer ?? "");
  return sha;
}
async function flagLatest(tag: string): Promise<void> {
  const { data } = await dave().rest.repos.getReleaseByTag({ ...sc.repo, tag });
  await dave().rest.repos.updateRelease({ ...sc.repo, release_id: data.id, make_latest: "true" });
}

describe("4. rollback and suppression", () => {
  it("an older commit's run that completes after a later merge is not published as latest", async () => {
    let revert = "";
    sc.during = async () => {
      revert = await pushNow({ [BANNER]: patchYaml("Revert the bad change") });
    };
    const bad = await sc.merge({ [BANNER]: patchYaml("A bad change") });
    const check = await sc.publishCheck(bad);
    expect(check.conclusion).toBe("failure");
    expect(check.summary).toMatch(/only the tip is published.*Run workflow/s);
    // The revert's own run publishes.
    expect((await sc.publishCheck(revert)).title).toBe("published v1");
    expect(await sc.tags()).toEqual(["v1"]);
  });

  it("the remedy works: a merged fix whose tip started no push run ships from a dispatch run at the tip", async () => {
    let tip = "";
    // A docs-only commit lands before the fix's run completes: it starts no build.
    sc.during = async () => {
      tip = await pushNow({ "README.md": "docs\n" });
    };
    const fix = await sc.merge({ [BANNER]: patchYaml("The fix") });
    expect((await sc.publishCheck(fix)).conclusion).toBe("failure");
    expect(await sc.tags()).toEqual(["v1"]);
    await sc.kit("maintainer").rest.actions.createWorkflowDispatch({
      ...sc.repo,
      workflow_id: "build.yml",
      ref: "main",
    });
    await sc.settle();
    expect(await sc.tags()).toEqual(["v1", "v2"]);
    expect((await sc.publishCheck(tip)).conclusion).toBe("success");
  });
});

describe("5. the trusted run's artifacts are required", () => {
  it("a run whose artifacts were deleted fails the publish check instead of 'nothing to publish'", async () => {
    sc.artifacts = [];
    const sha = await sc.merge({ [BANNER]: patchYaml("Mark cmdline") });
    sc.artifacts = [TARGET];
    const check = await sc.publishCheck(sha);
    expect(check.conclusion).toBe("failure");
    expect(check.summary).toContain(`no build-${TARGET} artifact`);
    expect(await sc.tags()).toEqual(["v1", "v2"]);
  });
});

describe("6. releases and tags someone else made", () => {
  it("a collaborator's release at the merge commit is not 'already published'", async () => {
    sc.during = async (req) => {
      await dave().rest.repos.createRelease({
        ...sc.repo,
        tag_name: "v70",
        target_commitish: req.context.sha,
      });
    };
    const sha = await sc.merge({ [BANNER]: patchYaml("Mark cmdline again") });
    expect((await sc.publishCheck(sha)).title).toBe("published v3");
    expect((await sc.releaseManifest("v3")).manifest.version).toBe(3);
    expect(await sc.latestTag()).toBe("v3");
  });

  it("a pre-created release or bare tag v<N> is skipped, never published into", async () => {
    const root = await sc.wc.git("rev-list", "--max-parents=0", "main");
    await dave().rest.repos.createRelease({
      ...sc.repo,
      tag_name: "v4",
      target_commitish: root,
      make_latest: "false",
    });
    await dave().rest.git.createRef({ ...sc.repo, ref: "refs/tags/v5", sha: root });
    await sc.settle();
    const sha = await sc.merge({ [BANNER]: patchYaml("Mark cmdline once more") });
    expect((await sc.publishCheck(sha)).title).toBe("published v6");
    expect((await sc.releaseManifest("v6")).manifest.version).toBe(6);
    const { data: tag } = await dave().rest.git.getRef({ ...sc.repo, ref: "tags/v6" });
    expect(tag.object.sha).toBe(sha);
    const { data: v4 } = await dave().rest.repos.getReleaseByTag({ ...sc.repo, tag: "v4" });
    expect(v4.assets).toEqual([]);
  });
});

describe("4. rollback, continued: deleted and re-flagged releases", () => {
  it("deleting the newest release does not let the next merge reuse its version or drop its module", async () => {
    const next = await sc.publishCheck(await sc.merge({ [BANNER]: patchYaml("The next fix") }));
    expect(next.title, next.summary).toBe("published v7");
    const v7 = await sc.releaseManifest("v7");
    // The collaborator deletes v7 and its tag, and flags v6 latest.
    const { data: gone } = await dave().rest.repos.getReleaseByTag({ ...sc.repo, tag: "v7" });
    await dave().rest.repos.deleteRelease({ ...sc.repo, release_id: gone.id });
    const url = authedUrl(sc.forge, `${sc.repo.owner}/${sc.repo.repo}`, sc.tokens.dave ?? "");
    await sc.wc.git("push", "-q", url, ":refs/tags/v7");
    await flagLatest("v6");
    await sc.settle();
    sc.artifacts = [LAB2];
    await sc.merge(await sc.addLab2());
    sc.artifacts = [TARGET, LAB2];
    expect(await sc.tags()).not.toContain("v7");
    const v8 = await sc.releaseManifest("v8");
    expect(v8.manifest.version).toBe(8);
    const fix = v8.manifest.kernels.find((k) => k.target === TARGET);
    expect(fix).toEqual(v7.manifest.kernels.find((k) => k.target === TARGET));
    expect(await sc.latestTag()).toBe("v8");
  });

  it("an old release re-flagged latest gets the flag back on a release event, and a refresh re-issues the newest", async () => {
    const v8 = await sc.releaseManifest("v8");
    await flagLatest("v1");
    await sc.settle();
    expect(await sc.latestTag()).toBe("v8");

    // Re-flagged while the app was down (no event seen): the refresh still re-issues v8's content, not v1's.
    sc.setDown(true);
    await flagLatest("v1");
    await sc.settle();
    sc.setDown(false);
    expect(await sc.latestTag()).toBe("v1");
    sc.clock.now = new Date(sc.clock.now.getTime() + 13 * 3_600_000);
    await sc.kit("maintainer").rest.repos.createDispatchEvent({
      ...sc.repo,
      event_type: "lpctl-refresh",
    });
    await sc.settle();
    const v9 = await sc.releaseManifest("v9");
    expect(v9.manifest.kernels).toEqual(v8.manifest.kernels);
    expect(await sc.latestTag()).toBe("v9");
  });
});

describe("5. the trusted run's artifacts are required, continued", () => {
  it("a deleted target's artifact is not replaced by its old module", async () => {
    sc.artifacts = [LAB2];
    const sha = await sc.merge({
      [BANNER]: `title: The fix\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab, ${LAB2}]\n`,
    });
    expect((await sc.publishCheck(sha)).summary).toContain(`no build-${TARGET} artifact`);
    expect(await sc.latestTag()).toBe("v9");
    expect(await sc.tags()).not.toContain("v10");
  });
});
