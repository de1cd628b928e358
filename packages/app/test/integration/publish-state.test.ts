/**
 * The app's own publish record (LPCTL_APP_STATE_DIR), through pushes to
 * main on the forge: required, checked against its signed manifest, and
 * rebuilt once from the app's own newest release when an upgraded app has
 * none yet. One forge; each test builds on the releases before it.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BANNER, patchYaml, publishScenario } from "./helpers/publish-scenario.js";
import { forFile } from "./helpers/for-file.js";

const sc = forFile(() => publishScenario());

const record = () => path.join(sc.stateDir, sc.repo.owner, sc.repo.repo);
// dave is a collaborator with push access.
const mallory = () => sc.kit("dave");

describe("the app's publish record", () => {
  it("records what it published: version, tag, commit and the signed manifest", async () => {
    const sha = await sc.merge({ [BANNER]: patchYaml("Mark cmdline") });
    expect(JSON.parse(await readFile(path.join(record(), "published.json"), "utf8"))).toEqual({
      version: 1,
      tag: "v1",
      commit: sha,
    });
    const v1 = await sc.releaseManifest("v1");
    expect(await readFile(path.join(record(), "manifest.json"))).toEqual(
      v1.files.get("manifest.json"),
    );
  });

  it("a record that disagrees with its manifest fails the publish with APP_STATE_INVALID", async () => {
    const file = path.join(record(), "published.json");
    const good = await readFile(file, "utf8");
    await writeFile(file, good.replace('"version": 1', '"version": 5'));
    const sha = await sc.merge({ [BANNER]: patchYaml("The fix") });
    expect(await sc.tags()).toEqual(["v1"]);
    expect((await sc.publishCheck(sha)).summary).toMatch(/says version 5.*version 1/);
    await writeFile(file, good);
  });

  it("without a record, an upgraded app builds on its own newest release by version", async () => {
    await rm(record(), { recursive: true });
    // Someone's release marked latest is not what the app builds on.
    const root = await sc.wc.git("rev-list", "--max-parents=0", "main");
    await mallory().rest.repos.createRelease({
      ...sc.repo,
      tag_name: "v99",
      target_commitish: root,
      make_latest: "true",
    });
    await sc.settle();
    const sha = await sc.merge({ [BANNER]: patchYaml("Another fix") });
    expect((await sc.publishCheck(sha)).title).toBe("published v2");
    expect((await sc.releaseManifest("v2")).manifest.version).toBe(2);
  });

  it("tags v<N> to v<N+19> all held by others: RELEASE_TAG_TAKEN, nothing published", async () => {
    const root = await sc.wc.git("rev-list", "--max-parents=0", "main");
    for (let v = 3; v <= 22; v++)
      await mallory().rest.git.createRef({ ...sc.repo, ref: `refs/tags/v${String(v)}`, sha: root });
    const sha = await sc.merge({ [BANNER]: patchYaml("Yet another fix") });
    expect((await sc.tags()).filter((t) => t !== "v99")).toEqual(["v1", "v2"]);
    expect((await sc.publishCheck(sha)).summary).toContain("tags v3 to v22 are all held");
  });
});
