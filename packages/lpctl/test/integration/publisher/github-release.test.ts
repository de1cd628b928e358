/**
 * Publishing a GitHub release over HTTP against the forge: a fresh release,
 * resuming after an upload stopped halfway (the asset left `open`), with and
 * without the server's digests, and refusing different content for a
 * published version.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJsonBytes } from "../../../src/core/canonical-json.js";
import { isLpctlError } from "../../../src/core/errors.js";
import { verifyManifest } from "../../../src/core/verify/index.js";
import { createGitHubReleaseStore } from "../../../src/publisher/github-release.js";
import { loadSigner } from "../../../src/publisher/load-signer.js";
import { publishRelease } from "../../../src/publisher/publish-release.js";
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

beforeAll(async () => {
  gh = await startReleaseForge();
  tmp = await tempDir("github");
  expect((await lpctl("keygen", "--name", "GH", "--out", join(tmp, "keys"))).code).toBe(0);
});
afterAll(() => gh.stop());

/** A fresh repository on `forge` with builds of it for v1 in tmp/b. */
async function target(forge: ReleaseForge, name: string): Promise<GitHubTarget> {
  process.env.LPCTL_TEST_TOKEN = forge.token;
  const commit = await forge.repoWithCommit(name);
  const repository = `alice/${name}`;
  await rm(join(tmp, "b"), { recursive: true, force: true });
  await writeBuildOutputs(join(tmp, "b"), ["lab-a", "lab-b"], "v1", 4096, {
    repository,
    commit,
    ref: "refs/heads/main",
    event: "push",
    workflowRun: "4242",
  });
  return { apiUrl: forge.t.forge.apiUrl, repository, commit };
}

const repoOf = (to: GitHubTarget): string => to.repository.split("/")[1] ?? "";
const uploads = (requests: string[]): string[] =>
  requests.filter((q) => /^POST \/repos\/.*\/releases\/\d+\/assets$/.test(q));

async function assetNames(forge: ReleaseForge, to: GitHubTarget): Promise<string[]> {
  return ((await forge.releases(repoOf(to)))[0]?.assets ?? []).map((a) => a.name).sort();
}

async function expectVerifiedRelease(forge: ReleaseForge, to: GitHubTarget): Promise<void> {
  const release = (await forge.releases(repoOf(to)))[0];
  const get = async (name: string): Promise<Uint8Array> => {
    const a = release?.assets.find((x) => x.name === name && x.state === "uploaded");
    if (!a) throw new Error(`no ${name}`);
    return forge.download(repoOf(to), a.id);
  };
  const keys = [await readFile(join(tmp, "keys/signing-key.pub.asc"), "utf8")];
  const { manifest } = await verifyManifest({
    manifest: await get("manifest.json"),
    signature: await get("manifest.json.asc"),
    keys,
    now: new Date(),
  });
  for (const k of manifest.kernels) {
    const part = await verifyManifest({
      manifest: await get(`kernel-${k.buildId}.json`),
      signature: await get(`kernel-${k.buildId}.json.asc`),
      keys,
      now: new Date(),
    });
    expect(part.manifest.issued).toBe(manifest.issued);
    expect(await get(k.module?.file ?? "")).toHaveLength(k.module?.length ?? -1);
  }
}

describe("publish to a GitHub release", () => {
  it("creates v1 at the commit, uploads through upload_url, marks it latest", async () => {
    const to = await target(gh, "fresh");
    gh.requests.length = 0;
    const r = await publishToGitHub(tmp, to);
    expect(r.code, r.err).toBe(0);
    const releases = await gh.releases("fresh");
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({ tag: "v1", commit: to.commit });
    expect(await gh.latest("fresh")).toBe("v1");
    expect(await assetNames(gh, to)).toEqual(
      expect.arrayContaining([
        "manifest.json",
        "manifest.json.asc",
        "build-report-lab-a.json",
        "livepatch-v1-lab-a.ko",
        "livepatch-v1-lab-a.ko.asc",
      ]),
    );
    // Per target: module, report, VEX and kernel manifest, each signed but the report.
    expect(await assetNames(gh, to)).toHaveLength(2 * 7 + 2);
    expect(uploads(gh.requests)).toHaveLength(16);
    await expectVerifiedRelease(gh, to);

    // The next run publishes v2 after the latest release's manifest.
    await writeBuildOutputs(join(tmp, "b"), ["lab-a", "lab-b"], "v2", 4096, {
      repository: to.repository,
      commit: to.commit,
      ref: "refs/heads/main",
      event: "push",
      workflowRun: "4243",
    });
    expect((await publishToGitHub(tmp, to)).code).toBe(0);
    expect((await gh.releases("fresh")).map((x) => x.tag)).toEqual(["v1", "v2"]);
    expect(await gh.latest("fresh")).toBe("v2");
  });

  it.each([true, false])(
    "resumes after an upload stopped halfway without duplicates or changes (server digests: %s)",
    async (digests) => {
      // The forge reports digests unless told otherwise; the other setting needs its own.
      const forge = digests ? gh : await startReleaseForge({ assetDigests: false });
      try {
        const to = await target(forge, `resume-${String(digests)}`);
        const repo = repoOf(to);
        forge.interruptManifestUpload();
        forge.requests.length = 0;
        const crashed = await publishToGitHub(tmp, to);
        expect(crashed.code).toBe(1);
        expect(crashed.err).toMatch(/manifest\.json/);
        const first = (await forge.releases(repo))[0];
        const before = new Map<string, { id: number; bytes: Uint8Array; state: string }>();
        for (const a of first?.assets ?? [])
          before.set(a.name, { id: a.id, bytes: await forge.download(repo, a.id), state: a.state });
        expect(before.get("manifest.json")?.state).toBe("open");
        // Never marked latest: the publisher makes a release latest last.
        expect(forge.requests.filter((q) => q.startsWith("PATCH "))).toEqual([]);

        forge.requests.length = 0;
        // A later run (new clock) must sign the same manifest window again.
        const resumed = await publishToGitHub(
          tmp,
          to,
          "--now",
          new Date(Date.now() + 3_600_000).toISOString(),
        );
        expect(resumed.code, resumed.err).toBe(0);
        const after = (await forge.releases(repo))[0]?.assets ?? [];
        const names = after.map((a) => a.name);
        expect(new Set(names).size).toBe(names.length);
        expect(names).toHaveLength(16);
        for (const a of after) {
          const old = before.get(a.name);
          expect(a.state).toBe("uploaded");
          expect(a.digest === null).toBe(!digests);
          if (old && old.state === "uploaded")
            expect({ id: a.id, bytes: await forge.download(repo, a.id) }).toEqual({
              id: old.id,
              bytes: old.bytes,
            });
        }
        expect(uploads(forge.requests)).toHaveLength(2);
        expect(forge.requests.filter((q) => q.startsWith("DELETE "))).toHaveLength(1);
        expect(await forge.latest(repo)).toBe("v1");
        expect(forge.requests.filter((q) => q.startsWith("PATCH "))).toHaveLength(1);
        await expectVerifiedRelease(forge, to);
      } finally {
        if (forge !== gh) await forge.stop();
      }
    },
  );

  it("refuses different content for a published version and changes nothing", async () => {
    const to = await target(gh, "conflict");
    const published = await publishToGitHub(tmp, to);
    expect(published.code, published.err).toBe(0);
    const snapshot = JSON.stringify(await gh.releases("conflict"));
    gh.requests.length = 0;
    const store = createGitHubReleaseStore({
      repository: to.repository,
      token: gh.token,
      apiUrl: to.apiUrl,
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
    const error: unknown = await publishRelease({
      store,
      version: 1,
      commit: to.commit,
      files,
    }).catch((e: unknown) => e);
    expect(isLpctlError(error, "RELEASE_CONFLICT")).toBe(true);
    const otherCommit: unknown = await publishRelease({
      store,
      version: 1,
      commit: "f".repeat(40),
      files: [],
    }).catch((e: unknown) => e);
    expect(isLpctlError(otherCommit, "RELEASE_CONFLICT")).toBe(true);
    expect(gh.requests.filter((q) => !q.startsWith("GET "))).toEqual([]);
    expect(JSON.stringify(await gh.releases("conflict"))).toBe(snapshot);
    expect(await readdir(tmp)).toContain("keys");
  });
});
