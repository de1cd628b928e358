/**
 * Tamper suite, publisher side, against the fake GitHub on loopback with
 * real keys: whoever can write releases must not get content re-signed.
 */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "./fake-github.js";
import {
  lpctl,
  tempDir,
  writeBuildOutputs,
  publishToGitHub,
} from "@livepatch-gitops/test-support/publisher-helpers";

let gh: FakeGitHub;
let tmp: string;

beforeEach(async () => {
  gh = await startFakeGitHub();
  tmp = await tempDir("gh-tamper");
  process.env.LPCTL_TEST_TOKEN = "test-token";
  expect((await lpctl("keygen", "--name", "GH", "--out", join(tmp, "keys"))).code).toBe(0);
  await writeBuildOutputs(join(tmp, "b"), ["lab-a", "lab-b"], "v1");
});
afterEach(() => gh.close());

const publishCli = (...extra: string[]): ReturnType<typeof lpctl> =>
  publishToGitHub(tmp, gh.url, ...extra);

function asset(tag: string, name: string): { bytes: Uint8Array } {
  const a = gh.releases.find((r) => r.tag === tag)?.assets.find((x) => x.name === name);
  if (!a) throw new Error(`no ${tag}/${name}`);
  return a;
}

const edit = (a: { bytes: Uint8Array }, from: RegExp, to: string): void => {
  a.bytes = new TextEncoder().encode(new TextDecoder().decode(a.bytes).replace(from, to));
};

describe("publish --github refuses what its own key did not sign", () => {
  it("a forged previous manifest on the latest release (expiry pushed out) is refused", async () => {
    expect((await publishCli()).code).toBe(0);
    edit(asset("v1", "manifest.json"), /"expires":"[^"]+"/, '"expires":"2999-01-01T00:00:00.000Z"');
    await writeBuildOutputs(join(tmp, "b"), ["lab-a", "lab-b"], "v2");
    const r = await publishCli();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/v1\/manifest\.json: does not verify.*SIGNATURE_INVALID/);
    expect(gh.releases.map((x) => x.tag)).toEqual(["v1"]);
  });

  it("a previous manifest whose signature was removed is refused", async () => {
    expect((await publishCli()).code).toBe(0);
    const v1 = gh.releases[0];
    if (v1) v1.assets = v1.assets.filter((a) => a.name !== "manifest.json.asc");
    await writeBuildOutputs(join(tmp, "b"), ["lab-a", "lab-b"], "v2");
    const r = await publishCli();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/SIGNATURE_MISSING/);
    expect(gh.releases).toHaveLength(1);
  });

  it("a forged resume window (a half-published kernel-*.json edited) is refused", async () => {
    gh.failUploadOf = "manifest.json";
    expect((await publishCli()).code).toBe(1);
    const kernelJson = gh.releases[0]?.assets.find((a) => /^kernel-.*\.json$/.test(a.name));
    if (!kernelJson) throw new Error("no kernel manifest uploaded");
    edit(kernelJson, /"expires":"[^"]+"/, '"expires":"2999-01-01T00:00:00.000Z"');
    gh.failUploadOf = undefined;
    const snapshot = JSON.stringify(gh.releases);
    const r = await publishCli();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/PREVIOUS_UNVERIFIED|does not verify/);
    expect(JSON.stringify(gh.releases)).toBe(snapshot);
  });

  it("a resume window longer than the lifetime, or issued in the future, is refused", async () => {
    gh.failUploadOf = "manifest.json";
    expect((await publishCli("--lifetime-days", "400")).code).toBe(1);
    gh.failUploadOf = undefined;
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
    expect(gh.releases[0]?.latest).toBe(false);
  });
});
