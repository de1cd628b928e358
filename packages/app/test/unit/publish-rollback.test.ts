/**
 * Attack audit items 4–6, through the app's workflow_run, release and
 * repository_dispatch handlers: a collaborator with push access must not
 * roll a release back, suppress a merged fix, or pass their own release or
 * tag off as the app's.
 */
import { describe, expect, it } from "vitest";
import { dispatchEvent } from "./helpers/payloads.js";
import { releaseEvent } from "./helpers/release-payload.js";
import { TARGET } from "./helpers/runs.js";
import {
  addLab2,
  completeRun,
  LAB2,
  merge,
  patchYaml,
  publishCheck,
  releaseManifest,
} from "./helpers/merges.js";
import { scenario } from "./helpers/scenario.js";

const BANNER = "patches/cmdline-banner/patch.yaml";

describe("4. rollback and suppression", () => {
  it("an older commit's run that completes after a later merge is not published as latest", async () => {
    const sc = await scenario();
    const bad = await merge(sc, { [BANNER]: patchYaml("A bad change") });
    await merge(sc, { [BANNER]: patchYaml("Revert the bad change") });
    await completeRun(sc, bad);
    expect(sc.s.releases).toHaveLength(0);
    const check = publishCheck(sc, bad);
    expect(check?.conclusion).toBe("failure");
    expect(check?.output.summary).toMatch(/only the tip is published.*Run workflow/s);
  });

  it("the remedy works: a merged fix whose tip started no push run ships from a dispatch run at the tip", async () => {
    const sc = await scenario();
    const fix = await merge(sc, { [BANNER]: patchYaml("The fix") });
    // A docs-only commit lands before the fix's run completes: it starts no build.
    const tip = sc.s.commit(fix, { "README.md": "docs\n" }, "web-flow");
    sc.s.branches.set("main", tip);
    await completeRun(sc, fix);
    expect(sc.s.releases).toHaveLength(0);
    await completeRun(sc, tip, [TARGET], "workflow_dispatch");
    expect(sc.s.releases.map((r) => r.tag)).toEqual(["v1"]);
    expect(publishCheck(sc, tip)?.conclusion).toBe("success");
  });

  it("deleting the newest release does not let the next merge reuse its version or drop its module", async () => {
    const sc = await scenario();
    await completeRun(sc, await merge(sc, { [BANNER]: patchYaml("Mark cmdline") }));
    await completeRun(sc, await merge(sc, { [BANNER]: patchYaml("The fix") }));
    const v2 = await releaseManifest(sc, "v2");
    // The collaborator deletes v2 and its tag.
    const gone = sc.s.releases.find((r) => r.tag === "v2");
    sc.s.releases = sc.s.releases.filter((r) => r !== gone);
    sc.s.tags.delete("v2");
    const v1 = sc.s.releases.find((r) => r.tag === "v1");
    if (v1) v1.latest = true;
    await completeRun(sc, await merge(sc, addLab2(sc)), [LAB2]);
    expect(sc.s.releases.map((r) => r.tag)).toEqual(["v1", "v3"]);
    const v3 = await releaseManifest(sc, "v3");
    expect(v3.manifest.version).toBe(3);
    const fix = v3.manifest.kernels.find((k) => k.target === TARGET);
    expect(fix).toEqual(v2.manifest.kernels.find((k) => k.target === TARGET));
    expect(sc.s.releases.find((r) => r.latest)?.tag).toBe("v3");
  });

  it("an old release re-flagged latest gets the flag back on a release event, and a refresh re-issues the newest", async () => {
    const sc = await scenario();
    await completeRun(sc, await merge(sc, { [BANNER]: patchYaml("Mark cmdline") }));
    await completeRun(sc, await merge(sc, { [BANNER]: patchYaml("The fix") }));
    const v2 = await releaseManifest(sc, "v2");
    const flag = (tag: string) => {
      for (const r of sc.s.releases) r.latest = r.tag === tag;
    };
    flag("v1");
    const v1 = sc.s.releases.find((r) => r.tag === "v1");
    if (!v1) throw new Error("no v1");
    await sc.receive("release", releaseEvent("edited", v1, "mallory"));
    expect(sc.s.releases.find((r) => r.latest)?.tag).toBe("v2");

    // Re-flagged with no event seen: the refresh still re-issues v2's content, not v1's.
    flag("v1");
    sc.clock.now = new Date(sc.clock.now.getTime() + 13 * 3_600_000);
    await sc.receive("repository_dispatch", dispatchEvent("lpctl-refresh"));
    const v3 = await releaseManifest(sc, "v3");
    expect(v3.manifest.kernels).toEqual(v2.manifest.kernels);
    expect(sc.s.releases.find((r) => r.latest)?.tag).toBe("v3");
  });
});

describe("5. the trusted run's artifacts are required", () => {
  it("a run whose artifacts were deleted fails the publish check instead of 'nothing to publish'", async () => {
    const sc = await scenario();
    const sha = await merge(sc, { [BANNER]: patchYaml("Mark cmdline") });
    await completeRun(sc, sha, []);
    expect(sc.s.releases).toHaveLength(0);
    const check = publishCheck(sc, sha);
    expect(check?.conclusion).toBe("failure");
    expect(check?.output.summary).toContain(`no build-${TARGET} artifact`);
  });

  it("a deleted target's artifact is not replaced by its old module", async () => {
    const sc = await scenario();
    await completeRun(sc, await merge(sc, addLab2(sc)), [TARGET, LAB2]);
    const sha = await merge(sc, {
      [BANNER]: `title: The fix\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab, ${LAB2}]\n`,
    });
    await completeRun(sc, sha, [LAB2]);
    expect(sc.s.releases.map((r) => r.tag)).toEqual(["v1"]);
    expect(publishCheck(sc, sha)?.output.summary).toContain(`no build-${TARGET} artifact`);
  });
});

describe("6. releases and tags someone else made", () => {
  it("a collaborator's release at the merge commit is not 'already published'", async () => {
    const sc = await scenario();
    const sha = await merge(sc, { [BANNER]: patchYaml("Mark cmdline") });
    sc.s.releases.push({
      id: sc.s.nextId(),
      tag: "v7",
      commit: sha,
      latest: true,
      assets: [],
      author: "mallory",
    });
    sc.s.tags.set("v7", sha);
    await completeRun(sc, sha);
    expect(publishCheck(sc, sha)?.output.title).toBe("published v1");
    expect((await releaseManifest(sc, "v1")).manifest.version).toBe(1);
    expect(sc.s.releases.find((r) => r.latest)?.tag).toBe("v1");
  });

  it("a pre-created release or bare tag v<N> is skipped, never published into", async () => {
    const sc = await scenario();
    const root = sc.main();
    sc.s.releases.push({
      id: sc.s.nextId(),
      tag: "v1",
      commit: root,
      latest: false,
      assets: [],
      author: "mallory",
    });
    sc.s.tags.set("v1", root);
    sc.s.tags.set("v2", root);
    const sha = await merge(sc, { [BANNER]: patchYaml("Mark cmdline") });
    await completeRun(sc, sha);
    expect(publishCheck(sc, sha)?.output.title).toBe("published v3");
    const v3 = await releaseManifest(sc, "v3");
    expect(v3.manifest.version).toBe(3);
    expect(sc.s.tags.get("v3")).toBe(sha);
    expect(sc.s.releases.find((r) => r.tag === "v1")?.assets).toEqual([]);
  });
});
