/**
 * Tamper suite, publisher side, against the forge with real keys: whoever
 * can write releases (here alice, through GitHub's API: delete an asset,
 * upload another under its name) must not get content re-signed.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startReleaseForge, type ReleaseForge } from "./forge-releases.js";
import {
  lpctl,
  tempDir,
  writeBuildOutputs,
  publishToGitHub,
  type GitHubTarget,
} from "@livepatch-gitops/test-support/publisher-helpers";

let gh: ReleaseForge;
let tmp: string;
let to: GitHubTarget;
let repo: string;
let repos = 0;

beforeAll(async () => {
  gh = await startReleaseForge();
  process.env.LPCTL_TEST_TOKEN = gh.token;
  tmp = await tempDir("gh-tamper");
  expect((await lpctl("keygen", "--name", "GH", "--out", join(tmp, "keys"))).code).toBe(0);
});
afterAll(() => gh.stop());

/** Build outputs of version `tag` from the test's repository. */
async function builds(tag: string): Promise<void> {
  await rm(join(tmp, "b"), { recursive: true, force: true });
  await writeBuildOutputs(join(tmp, "b"), ["lab-a", "lab-b"], tag, 4096, {
    repository: to.repository,
    commit: to.commit,
    ref: "refs/heads/main",
    event: "push",
    workflowRun: "4242",
  });
}

beforeEach(async () => {
  repo = `tamper-${String(++repos)}`;
  const commit = await gh.repoWithCommit(repo);
  to = { apiUrl: gh.t.forge.apiUrl, repository: `alice/${repo}`, commit };
  await builds("v1");
  gh.t.forge.clearFaults();
});

const publishCli = (...extra: string[]): ReturnType<typeof lpctl> =>
  publishToGitHub(tmp, to, ...extra);

const pushOutExpiry = (text: string): string =>
  text.replace(/"expires":"[^"]+"/, '"expires":"2999-01-01T00:00:00.000Z"');

describe("publish --github refuses what its own key did not sign", () => {
  it("a forged previous manifest on the latest release (expiry pushed out) is refused", async () => {
    expect((await publishCli()).code).toBe(0);
    await gh.rewrite(repo, "v1", "manifest.json", pushOutExpiry);
    await builds("v2");
    const r = await publishCli();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/v1\/manifest\.json: does not verify.*SIGNATURE_INVALID/);
    expect((await gh.releases(repo)).map((x) => x.tag)).toEqual(["v1"]);
  });

  it("a previous manifest whose signature was removed is refused", async () => {
    expect((await publishCli()).code).toBe(0);
    await gh.remove(repo, "v1", "manifest.json.asc");
    await builds("v2");
    const r = await publishCli();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/SIGNATURE_MISSING/);
    expect(await gh.releases(repo)).toHaveLength(1);
  });

  it("a forged resume window (a half-published kernel-*.json edited) is refused", async () => {
    gh.interruptManifestUpload();
    expect((await publishCli()).code).toBe(1);
    const kernelJson = (await gh.releases(repo))[0]?.assets.find((a) =>
      /^kernel-.*\.json$/.test(a.name),
    );
    if (!kernelJson) throw new Error("no kernel manifest uploaded");
    await gh.rewrite(repo, "v1", kernelJson.name, pushOutExpiry);
    const snapshot = JSON.stringify(await gh.releases(repo));
    gh.requests.length = 0;
    const r = await publishCli();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/PREVIOUS_UNVERIFIED|does not verify/);
    expect(JSON.stringify(await gh.releases(repo))).toBe(snapshot);
    expect(gh.requests.filter((q) => !q.startsWith("GET "))).toEqual([]);
  });

  it("a resume window longer than the lifetime, or issued in the future, is refused", async () => {
    gh.interruptManifestUpload();
    expect((await publishCli("--lifetime-days", "400")).code).toBe(1);
    gh.requests.length = 0;
    const long = await publishCli();
    expect(long.code).toBe(2);
    expect(long.err).toMatch(/valid longer than the lifetime of 14 days/);
    const past = await publishCli(
      "--lifetime-days",
      "400",
      "--now",
      new Date(Date.now() - 86_400_000).toISOString(),
    );
    expect(past.code).toBe(2);
    expect(past.err).toMatch(/issued after now/);
    // Never made latest, nothing changed.
    expect(gh.requests.filter((q) => !q.startsWith("GET "))).toEqual([]);
  });
});
