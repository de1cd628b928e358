/**
 * Publishing a GitHub release over HTTP against a fake GitHub on loopback:
 * a fresh release, resuming after a crash halfway (one `starter` asset), and
 * refusing different content for a published version.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJsonBytes } from "../../../src/core/canonical-json.js";
import { isLpctlError } from "../../../src/core/errors.js";
import { verifyManifest } from "../../../src/core/verify/index.js";
import { createGitHubReleaseStore } from "../../../src/publisher/github-release.js";
import { loadSigner } from "../../../src/publisher/load-signer.js";
import { publishRelease } from "../../../src/publisher/publish-release.js";
import { startFakeGitHub, type FakeGitHub } from "./fake-github.js";
import {
  lpctl,
  tempDir,
  writeBuildOutputs,
  publishToGitHub,
  BUILT_COMMIT,
} from "@livepatch-gitops/test-support/publisher-helpers";

const COMMIT = BUILT_COMMIT;
let gh: FakeGitHub;
let tmp: string;

beforeEach(async () => {
  gh = await startFakeGitHub();
  tmp = await tempDir("github");
  process.env.LPCTL_TEST_TOKEN = "test-token";
  expect((await lpctl("keygen", "--name", "GH", "--out", join(tmp, "keys"))).code).toBe(0);
  await writeBuildOutputs(join(tmp, "b"), ["lab-a", "lab-b"], "v1");
});
afterEach(() => gh.close());

const publishCli = (...extra: string[]): ReturnType<typeof lpctl> =>
  publishToGitHub(tmp, gh.url, ...extra);

function assetNames(): string[] {
  return (gh.releases[0]?.assets ?? []).map((a) => a.name).sort();
}

async function expectVerifiedRelease(): Promise<void> {
  const release = gh.releases[0];
  const get = (name: string): Uint8Array => {
    const a = release?.assets.find((x) => x.name === name && x.state === "uploaded");
    if (!a) throw new Error(`no ${name}`);
    return a.bytes;
  };
  const keys = [await readFile(join(tmp, "keys/signing-key.pub.asc"), "utf8")];
  const { manifest } = await verifyManifest({
    manifest: get("manifest.json"),
    signature: get("manifest.json.asc"),
    keys,
    now: new Date(),
  });
  for (const k of manifest.kernels) {
    const part = await verifyManifest({
      manifest: get(`kernel-${k.buildId}.json`),
      signature: get(`kernel-${k.buildId}.json.asc`),
      keys,
      now: new Date(),
    });
    expect(part.manifest.issued).toBe(manifest.issued);
    expect(get(k.module?.file ?? "")).toHaveLength(k.module?.length ?? -1);
  }
}

describe("publish to a GitHub release", () => {
  it("creates v1 at the commit, uploads through upload_url, marks it latest", async () => {
    const r = await publishCli();
    expect(r.code, r.err).toBe(0);
    expect(gh.releases).toHaveLength(1);
    expect(gh.releases[0]).toMatchObject({ tag: "v1", commit: COMMIT, latest: true });
    expect(assetNames()).toEqual(
      expect.arrayContaining([
        "manifest.json",
        "manifest.json.asc",
        "build-report-lab-a.json",
        "livepatch-v1-lab-a.ko",
        "livepatch-v1-lab-a.ko.asc",
      ]),
    );
    // Per target: module, report, VEX and kernel manifest, each signed but the report.
    expect(assetNames()).toHaveLength(2 * 7 + 2);
    expect(gh.requests.filter((q) => q.startsWith("POST /uploads/"))).toHaveLength(16);
    await expectVerifiedRelease();

    // The next run publishes v2 after the latest release's manifest.
    await writeBuildOutputs(join(tmp, "b"), ["lab-a", "lab-b"], "v2");
    expect((await publishCli()).code).toBe(0);
    expect(gh.releases.map((x) => [x.tag, x.latest])).toEqual([
      ["v1", false],
      ["v2", true],
    ]);
  });

  it.each([true, false])(
    "resumes after a crash halfway without duplicates or changes (server digests: %s)",
    async (digests) => {
      gh.digests = digests;
      gh.failUploadOf = "manifest.json";
      const crashed = await publishCli();
      expect(crashed.code).toBe(1);
      expect(crashed.err).toMatch(/manifest\.json/);
      const before = new Map(
        gh.releases[0]?.assets.map((a) => [a.name, { id: a.id, bytes: a.bytes, state: a.state }]),
      );
      expect(before.get("manifest.json")?.state).toBe("starter");
      expect(gh.releases[0]?.latest).toBe(false);

      gh.failUploadOf = undefined;
      gh.requests.length = 0;
      // A later run (new clock) must sign the same manifest window again.
      const resumed = await publishCli("--now", new Date(Date.now() + 3_600_000).toISOString());
      expect(resumed.code, resumed.err).toBe(0);
      const names = gh.releases[0]?.assets.map((a) => a.name) ?? [];
      expect(new Set(names).size).toBe(names.length);
      expect(names).toHaveLength(16);
      for (const a of gh.releases[0]?.assets ?? []) {
        const old = before.get(a.name);
        expect(a.state).toBe("uploaded");
        if (old && old.state === "uploaded")
          expect({ id: a.id, bytes: a.bytes }).toEqual({ id: old.id, bytes: old.bytes });
      }
      expect(gh.requests.filter((q) => q.startsWith("POST /uploads/"))).toHaveLength(2);
      expect(gh.requests.filter((q) => q.startsWith("DELETE "))).toHaveLength(1);
      expect(gh.releases[0]?.latest).toBe(true);
      await expectVerifiedRelease();
    },
  );

  it("refuses different content for a published version and changes nothing", async () => {
    expect((await publishCli()).code).toBe(0);
    const snapshot = JSON.stringify(gh.releases);
    gh.requests.length = 0;
    const store = createGitHubReleaseStore({
      repository: "o/r",
      token: "t",
      apiUrl: gh.url,
      retries: 0,
    });
    const signer = await loadSigner(join(tmp, "keys/signing-key.asc"));
    const manifest = canonicalJsonBytes({ different: true });
    const files = [
      { name: "manifest.json", bytes: manifest, contentType: "application/json" },
      {
        name: "manifest.json.asc",
        bytes: new TextEncoder().encode(await signer.sign(manifest)),
        contentType: "application/pgp-signature",
      },
    ];
    const error: unknown = await publishRelease({ store, version: 1, commit: COMMIT, files }).catch(
      (e: unknown) => e,
    );
    expect(isLpctlError(error, "RELEASE_CONFLICT")).toBe(true);
    expect(JSON.stringify(gh.releases)).toBe(snapshot);
    expect(gh.requests.filter((q) => !q.startsWith("GET "))).toEqual([]);
    const otherCommit: unknown = await publishRelease({
      store,
      version: 1,
      commit: "f".repeat(40),
      files: [],
    }).catch((e: unknown) => e);
    expect(isLpctlError(otherCommit, "RELEASE_CONFLICT")).toBe(true);
    expect(await readdir(tmp)).toContain("keys");
  });
});
