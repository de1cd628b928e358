/**
 * workflow_run from a push run, on the forge: a pull request merged through
 * GitHub's API, the forge's push run of the merge commit (a stub for
 * build.yml uploads the build artifact), and the app's release, comment and
 * publish check read back through the API; a redelivery, a report claiming
 * another commit and a push run on another branch. One forge; the tests run
 * in order (the first publishes v1).
 */
import { describe, expect, it } from "vitest";
import { authedUrl } from "@livepatch-gitops/test-support/forge-loop";
import { BANNER, TARGET, patchYaml, publishScenario } from "./helpers/publish-scenario.js";
import { forFile } from "./helpers/for-file.js";

const sc = forFile(() => publishScenario({ everyPush: true }));

const kit = () => sc.kit("maintainer");
let merge = "";

describe("workflow_run from a push run on the default branch", () => {
  it("publishes v1 with the signed manifest and the module, and comments on the merged PR", async () => {
    const pr = await sc.openPatchPr({ [BANNER]: patchYaml("Mark /proc/cmdline as live-patched") });
    const { data } = await kit().rest.pulls.merge({ ...sc.repo, pull_number: pr.number });
    merge = data.sha;
    await sc.settle();
    // The working copy follows main to the merge commit.
    const url = authedUrl(sc.forge, `${sc.repo.owner}/${sc.repo.repo}`, sc.tokens.maintainer ?? "");
    await sc.wc.git("fetch", "-q", url, "main");
    await sc.wc.git("checkout", "-q", "-B", "main", "FETCH_HEAD");
    expect(await sc.tags()).toEqual(["v1"]);
    expect(await sc.latestTag()).toBe("v1");
    const { data: tag } = await kit().rest.git.getRef({ ...sc.repo, ref: "tags/v1" });
    expect(tag.object.sha).toBe(merge);
    const { manifest, files } = await sc.releaseManifest("v1");
    const module = [...files.keys()].find((n) => n.endsWith(".ko"));
    expect(module).toBeDefined();
    expect(files.has(`${module ?? ""}.asc`)).toBe(true);
    expect(manifest.version).toBe(1);
    expect(manifest.kernels.map((k) => [k.target, k.commit, k.patches.map((p) => p.id)])).toEqual([
      [TARGET, merge, ["cmdline-banner", "version-banner"]],
    ]);
    expect(manifest.kernels[0]?.patches[0]?.pr).toBe(pr.number);
    expect((await sc.comments(pr.number))[0]?.body).toContain("Published [v1]");
    expect((await sc.publishCheck(merge)).conclusion).toBe("success");
  });

  it("a redelivered run publishes nothing new", async () => {
    const assets = (await sc.releaseFiles("v1")).size;
    // Past the replay window (within it the same payload is dropped before any handler).
    sc.clock.now = new Date(sc.clock.now.getTime() + 2 * 3_600_000);
    await sc.redeliverAs("workflow_run", "completed");
    expect(await sc.tags()).toEqual(["v1"]);
    expect((await sc.releaseFiles("v1")).size).toBe(assets);
    const publish = (await sc.checks(merge)).filter((c) => c.name === "livepatch / publish");
    expect(publish).toHaveLength(1);
    expect(publish[0]?.title).toBe("already published as v1");
  });

  it("reports built from another commit are refused with a failed publish check", async () => {
    sc.claims = { commit: merge };
    const sha = await sc.merge({ [BANNER]: patchYaml("The fix") });
    sc.claims = {};
    expect(await sc.tags()).toEqual(["v1"]);
    const publish = await sc.publishCheck(sha);
    expect(publish.conclusion).toBe("failure");
    expect(publish.summary).toContain("refusing to sign");
  });

  it("a push run on another branch is not trusted", async () => {
    sc.claims = { ref: "refs/heads/topic" };
    await sc.wc.git("checkout", "-q", "-B", "topic", "main");
    const sha = await sc.wc.commit({ [BANNER]: patchYaml("On a branch") }, sc.me("alice"));
    await sc.wc.push("topic", sc.tokens.alice ?? "");
    await sc.settle();
    sc.claims = {};
    expect(await sc.tags()).toEqual(["v1"]);
    expect((await sc.publishCheck(sha)).summary).toContain("not the default branch");
  });
});
