/**
 * The app's own publish record (LPCTL_APP_STATE_DIR), through the
 * workflow_run handler: required, checked against its signed manifest, and
 * rebuilt once from the app's own newest release when an upgraded app has
 * none yet.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { completeRun, merge, patchYaml, publishCheck, releaseManifest } from "./helpers/merges.js";
import { OWNER, REPO } from "./helpers/fake-state.js";
import { scenario } from "./helpers/scenario.js";

const BANNER = "patches/cmdline-banner/patch.yaml";

describe("the app's publish record", () => {
  it("records what it published: version, tag, commit and the signed manifest", async () => {
    const sc = await scenario();
    const sha = await merge(sc, { [BANNER]: patchYaml("Mark cmdline") });
    await completeRun(sc, sha);
    const dir = join(sc.stateDir, OWNER, REPO);
    expect(JSON.parse(await readFile(join(dir, "published.json"), "utf8"))).toEqual({
      version: 1,
      tag: "v1",
      commit: sha,
    });
    const v1 = await releaseManifest(sc, "v1");
    expect(await readFile(join(dir, "manifest.json"))).toEqual(
      Buffer.from(v1.files.get("manifest.json") ?? []),
    );
  });

  it("a record that disagrees with its manifest fails the publish with APP_STATE_INVALID", async () => {
    const sc = await scenario();
    await completeRun(sc, await merge(sc, { [BANNER]: patchYaml("Mark cmdline") }));
    const record = join(sc.stateDir, OWNER, REPO, "published.json");
    const text = (await readFile(record, "utf8")).replace('"version": 1', '"version": 5');
    await writeFile(record, text);
    const sha = await merge(sc, { [BANNER]: patchYaml("The fix") });
    await completeRun(sc, sha);
    expect(sc.s.releases.map((r) => r.tag)).toEqual(["v1"]);
    expect(publishCheck(sc, sha)?.output.summary).toMatch(/says version 5.*version 1/);
  });

  it("without a record, an upgraded app builds on its own newest release by version", async () => {
    const sc = await scenario();
    await completeRun(sc, await merge(sc, { [BANNER]: patchYaml("Mark cmdline") }));
    await completeRun(sc, await merge(sc, { [BANNER]: patchYaml("The fix") }));
    await rm(join(sc.stateDir, OWNER, REPO), { recursive: true });
    // Someone's release marked latest is not what the app builds on.
    const root = sc.s.commits.keys().next().value as string;
    for (const r of sc.s.releases) r.latest = false;
    sc.s.releases.push({
      id: sc.s.nextId(),
      tag: "v99",
      commit: root,
      latest: true,
      assets: [],
      author: "mallory",
    });
    sc.s.tags.set("v99", root);
    const sha = await merge(sc, { [BANNER]: patchYaml("Another fix") });
    await completeRun(sc, sha);
    expect(publishCheck(sc, sha)?.output.title).toBe("published v3");
    expect((await releaseManifest(sc, "v3")).manifest.version).toBe(3);
  });

  it("tags v<N> to v<N+19> all held by others: RELEASE_TAG_TAKEN, nothing published", async () => {
    const sc = await scenario();
    for (let v = 1; v <= 20; v++) sc.s.tags.set(`v${v}`, sc.main());
    const sha = await merge(sc, { [BANNER]: patchYaml("Mark cmdline") });
    await completeRun(sc, sha);
    expect(sc.s.releases).toHaveLength(0);
    expect(publishCheck(sc, sha)?.output.summary).toContain("tags v1 to v20 are all held");
  });
});
