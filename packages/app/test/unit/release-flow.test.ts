import { describe, expect, it } from "vitest";
import { verifyManifest } from "@livepatch-gitops/lpctl/core/verify/index";
import type { Manifest } from "@livepatch-gitops/lpctl/core/manifest";
import { dispatchEvent, workflowRunEvent } from "./helpers/payloads.js";
import { addRun, buildArtifact, TARGET } from "./helpers/runs.js";
import { scenario, type Scenario } from "./helpers/scenario.js";

const LAB2 = "debian-6.1-lab2";

/** Opens and merges a PR with `changes`, then completes its push run building `targets`. */
async function mergeAndBuild(
  sc: Scenario,
  changes: Record<string, string>,
  targets: Record<string, string[]>,
) {
  const pr = await sc.openPr(changes);
  const merge = sc.s.commit(pr.headSha, {}, "web-flow");
  sc.s.branches.set("main", merge);
  Object.assign(pr, { state: "closed", mergedAt: "2026-11-30T12:00:00Z", mergeSha: merge });
  const run = addRun(sc.s, { event: "push", headSha: merge, headBranch: "main" });
  for (const [t, patches] of Object.entries(targets))
    run.artifacts.push(
      await buildArtifact(
        sc.s,
        { id: run.id, event: "push", sha: merge, ref: "refs/heads/main" },
        t,
        patches,
      ),
    );
  await sc.receive("workflow_run", workflowRunEvent(run));
  return { pr, merge, run };
}

async function latestManifest(
  sc: Scenario,
): Promise<{ manifest: Manifest; files: Map<string, Uint8Array> }> {
  const latest = sc.s.releases.find((r) => r.latest);
  const files = new Map(latest?.assets.map((a) => [a.name, a.bytes]));
  const { manifest } = await verifyManifest({
    manifest: files.get("manifest.json") as Uint8Array,
    signature: files.get("manifest.json.asc") as Uint8Array,
    keys: [sc.publicKey],
    now: sc.clock.now,
  });
  return { manifest, files };
}

describe("releases across merges", () => {
  it("a second merge publishes v2: the rebuilt target is new, the untouched one carried over byte for byte", async () => {
    const sc = await scenario();
    await mergeAndBuild(
      sc,
      {
        "patches/cmdline-banner/patch.yaml":
          "title: Mark /proc/cmdline as live-patched\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab]\n",
      },
      { [TARGET]: ["cmdline-banner", "version-banner"] },
    );
    const v1 = await latestManifest(sc);
    const lab = sc.s.commits.get(sc.main())?.tree;
    const targetYaml = new TextDecoder().decode(lab?.get(`kernels/${TARGET}/target.yaml`));
    const fragment = new TextDecoder().decode(lab?.get(`kernels/${TARGET}/config.fragment`));
    await mergeAndBuild(
      sc,
      {
        [`kernels/${LAB2}/target.yaml`]: targetYaml,
        [`kernels/${LAB2}/config.fragment`]: fragment,
      },
      { [LAB2]: ["version-banner"] },
    );
    expect(sc.s.releases.map((r) => [r.tag, r.latest])).toEqual([
      ["v1", false],
      ["v2", true],
    ]);
    const v2 = await latestManifest(sc);
    expect(v2.manifest.version).toBe(2);
    expect(v2.manifest.kernels.map((k) => k.target)).toEqual([TARGET, LAB2]);
    const carried = v2.manifest.kernels.find((k) => k.target === TARGET);
    expect(carried?.module).toEqual(v1.manifest.kernels[0]?.module);
    expect(carried?.commit).toBe(v1.manifest.kernels[0]?.commit);
    expect(v2.files.get(carried?.module?.file ?? "")).toEqual(
      v1.files.get(carried?.module?.file ?? ""),
    );
  });
});

describe("manifest refresh (repository_dispatch lpctl-refresh)", () => {
  it("re-issues the content as the next version once the manifest expires within the margin, and not before", async () => {
    const sc = await scenario();
    await mergeAndBuild(
      sc,
      {
        "patches/cmdline-banner/patch.yaml":
          "title: Mark /proc/cmdline as live-patched\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab]\n",
      },
      { [TARGET]: ["cmdline-banner", "version-banner"] },
    );
    const v1 = await latestManifest(sc);
    expect(Date.parse(v1.manifest.expires) - Date.parse(v1.manifest.issued)).toBe(24 * 3_600_000);

    await sc.receive("repository_dispatch", dispatchEvent("lpctl-refresh"));
    expect(sc.s.releases).toHaveLength(1); // 24 h left: not due

    sc.clock.now = new Date(sc.clock.now.getTime() + 13 * 3_600_000);
    await sc.receive("repository_dispatch", dispatchEvent("lpctl-refresh"));
    expect(sc.s.releases.map((r) => r.tag)).toEqual(["v1", "v2"]);
    const v2 = await latestManifest(sc);
    expect(v2.manifest.version).toBe(2);
    expect(v2.manifest.kernels).toEqual(v1.manifest.kernels);
    expect(Date.parse(v2.manifest.expires)).toBeGreaterThan(Date.parse(v1.manifest.expires));

    await sc.receive("repository_dispatch", dispatchEvent("something-else"));
    expect(sc.s.releases).toHaveLength(2);
  });
});
