/**
 * Releases across merges and the manifest refresh, on the forge: pushes to
 * main, their build runs (a stub for build.yml) and repository_dispatch
 * events, the releases read back through GitHub's API. One forge; the
 * refresh test builds on the two releases before it.
 */
import { describe, expect, it } from "vitest";
import { BANNER, LAB2, TARGET, patchYaml, publishScenario } from "./helpers/publish-scenario.js";
import { forFile } from "./helpers/for-file.js";

const sc = forFile(() => publishScenario());

const dispatch = async (eventType: string) => {
  await sc.kit("maintainer").rest.repos.createDispatchEvent({ ...sc.repo, event_type: eventType });
  await sc.settle();
};

describe("releases across merges", () => {
  it("a second merge publishes v2: the rebuilt target is new, the untouched one carried over byte for byte", async () => {
    await sc.merge({ [BANNER]: patchYaml("Mark /proc/cmdline as live-patched") });
    const v1 = await sc.releaseManifest("v1");
    sc.artifacts = [LAB2];
    await sc.merge(await sc.addLab2());
    const { data } = await sc.kit("maintainer").rest.repos.listReleases(sc.repo);
    expect(data.map((r) => r.tag_name).sort()).toEqual(["v1", "v2"]);
    expect(await sc.latestTag()).toBe("v2");
    const v2 = await sc.releaseManifest("v2");
    expect(v2.manifest.version).toBe(2);
    expect(v2.manifest.kernels.map((k) => k.target)).toEqual([TARGET, LAB2]);
    const carried = v2.manifest.kernels.find((k) => k.target === TARGET);
    expect(carried?.module).toEqual(v1.manifest.kernels[0]?.module);
    expect(carried?.commit).toBe(v1.manifest.kernels[0]?.commit);
    const file = carried?.module?.file ?? "";
    expect(v2.files.get(file)).toEqual(v1.files.get(file));
    expect(v2.files.get(file)).toBeDefined();
  });
});

describe("manifest refresh (repository_dispatch lpctl-refresh)", () => {
  it("re-issues the content as the next version once the manifest expires within the margin, and not before", async () => {
    const v2 = await sc.releaseManifest("v2");
    expect(Date.parse(v2.manifest.expires) - Date.parse(v2.manifest.issued)).toBe(24 * 3_600_000);

    await dispatch("lpctl-refresh");
    expect(await sc.tags()).toEqual(["v1", "v2"]); // 24 h left: not due

    sc.clock.now = new Date(sc.clock.now.getTime() + 13 * 3_600_000);
    await dispatch("lpctl-refresh");
    expect(await sc.tags()).toEqual(["v1", "v2", "v3"]);
    expect(await sc.latestTag()).toBe("v3");
    const v3 = await sc.releaseManifest("v3");
    expect(v3.manifest.version).toBe(3);
    expect(v3.manifest.kernels).toEqual(v2.manifest.kernels);
    expect(Date.parse(v3.manifest.expires)).toBeGreaterThan(Date.parse(v2.manifest.expires));

    await dispatch("something-else");
    expect(await sc.tags()).toEqual(["v1", "v2", "v3"]);
  });
});
