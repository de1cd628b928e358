/**
 * Attack audit items 7–8 on the forge, through pushes to main and build
 * runs: carried targets come only from the app's previous signed manifest
 * (a build-report asset the collaborator replaced changes nothing, a
 * tampered module in the app's state mirror stops the publish), and the app
 * keeps publishing after a key rotation, with the signed key lists beside
 * the manifest, as `lpctl publish --previous-key --key-lists` does. One
 * forge; the tests run in order (v1, v2, a refused publish, v3).
 */
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Manifest } from "@livepatch-gitops/lpctl/core/manifest";
import { generateSigningKey } from "@livepatch-gitops/lpctl/core/sign/generate-signing-key";
import { createOpenpgpSigner } from "@livepatch-gitops/lpctl/core/sign/openpgp-signer";
import { followKeyLists, verifyManifest } from "@livepatch-gitops/lpctl/core/verify/index";
import { signKeyList } from "@livepatch-gitops/lpctl/publisher/sign-key-list";
import { BANNER, LAB2, TARGET, patchYaml, publishScenario } from "./helpers/publish-scenario.js";
import { forFile } from "./helpers/for-file.js";

let lists = "";
const sc = forFile(async () => {
  lists = await mkdtemp(path.join(os.tmpdir(), "lpctl-app-lists-"));
  return publishScenario({ keyLists: lists });
});

const dave = () => sc.kit("dave");
/** A change to the second target's files only: its run builds LAB2, the lab target is carried. */
let lab2Edits = 0;
const touchLab2 = async () => {
  const file = path.join(sc.wc.dir, "kernels", LAB2, "config.fragment");
  return {
    [`kernels/${LAB2}/config.fragment`]: `${await readFile(file, "utf8")}# edit ${String(++lab2Edits)}\n`,
  };
};
let v1: { manifest: Manifest };
let signed: Manifest["kernels"][number] | undefined;

describe("7. carried targets are re-signed from the signed manifest only", () => {
  it("a build-report asset of the previous release the collaborator replaced does not reach the next manifest", async () => {
    await sc.merge({ [BANNER]: patchYaml("Mark cmdline") });
    v1 = await sc.releaseManifest("v1");
    signed = v1.manifest.kernels.find((k) => k.target === TARGET);
    // The collaborator replaces the unsigned report asset (delete + upload).
    const { data: release } = await dave().rest.repos.getReleaseByTag({ ...sc.repo, tag: "v1" });
    const name = `build-report-${TARGET}.json`;
    const asset = release.assets.find((a) => a.name === name);
    if (!asset) throw new Error("no build report asset");
    const report = JSON.parse(
      (await sc.releaseFiles("v1")).get(name)?.toString("utf8") ?? "{}",
    ) as Record<string, unknown>;
    const forged = { ...report, buildId: "ab".repeat(20), release: "6.6.6-evil", patches: [] };
    await dave().rest.repos.deleteReleaseAsset({ ...sc.repo, asset_id: asset.id });
    await dave().request({
      method: "POST",
      url: `${release.upload_url.replace(/\{[^}]*\}$/, "")}?name=${name}`,
      headers: { "content-type": "application/json" },
      data: JSON.stringify(forged),
    });
    expect((await sc.releaseFiles("v1")).get(name)?.toString("utf8")).toContain("6.6.6-evil");

    sc.artifacts = [LAB2];
    await sc.merge(await sc.addLab2());
    const v2 = await sc.releaseManifest("v2");
    expect(v2.manifest.kernels.map((k) => k.target)).toEqual([TARGET, LAB2]);
    expect(v2.manifest.kernels.find((k) => k.target === TARGET)).toEqual(signed);
  });
});

describe("7b. a carried module must be the signed bytes", () => {
  // The same carry rule as lpctl publish's (packages/lpctl/test/integration/publisher/withdraw.test.ts).
  it("a module in the app's state mirror that no longer matches its signed sha256 stops the publish", async () => {
    const file = signed?.module?.file ?? "";
    const found = (await readdir(sc.stateDir, { recursive: true })).find((f) => f.endsWith(file));
    if (!file || !found) throw new Error(`no ${file} under ${sc.stateDir}`);
    const mirror = path.join(sc.stateDir, found);
    const good = await readFile(mirror);
    await writeFile(mirror, Buffer.concat([good, Buffer.from("tampered")]));

    const sha = await sc.merge(await touchLab2());
    expect(await sc.tags()).toEqual(["v1", "v2"]);
    const check = await sc.publishCheck(sha);
    expect(check.conclusion).toBe("failure");
    expect(check.summary).toContain(`${file} does not match signed manifest version 2`);
    await writeFile(mirror, good);
  });
});

describe("8. publishing after a key rotation", () => {
  it("verifies the previous manifest with a rotated-out key and publishes the key lists", async () => {
    const v2 = await sc.releaseManifest("v2");
    const next = await generateSigningKey({ name: "rotated publisher" });
    const nextSigner = await createOpenpgpSigner(next.privateKey);
    const list = await signKeyList({
      current: { version: 0, threshold: 1, keys: [sc.publicKey] },
      keys: [next.publicKey],
      threshold: 1,
      expires: new Date(sc.clock.now.getTime() + 365 * 86_400_000),
      signers: [sc.keys.signer, nextSigner],
      now: sc.clock.now,
    });
    await writeFile(path.join(lists, list.name), list.bytes);
    await writeFile(path.join(lists, `${list.name}.asc`), list.signature);
    sc.keys.signer = nextSigner;
    sc.keys.previous = [sc.publicKey];

    const sha = await sc.merge(await touchLab2());
    expect((await sc.publishCheck(sha)).title).toBe("published v3");
    const files = await sc.releaseFiles("v3");
    expect([...files.keys()]).toContain("keys-1.json");
    expect([...files.keys()]).toContain("keys-1.json.asc");
    // A host pinning only the old key follows the published list to the new one.
    const trust = await followKeyLists(
      (name) => {
        const bytes = files.get(name);
        const signature = files.get(`${name}.asc`);
        return Promise.resolve(bytes && signature ? { bytes, signature } : undefined);
      },
      { version: 0, threshold: 1, keys: [sc.publicKey] },
      sc.clock.now,
    );
    const { manifest } = await verifyManifest({
      manifest: files.get("manifest.json") ?? new Uint8Array(),
      signature: files.get("manifest.json.asc") ?? new Uint8Array(),
      keys: trust.keys,
      threshold: trust.threshold,
      now: sc.clock.now,
    });
    expect(manifest.version).toBe(3);
    // The app names the list its signer belongs to, as `lpctl publish` does.
    expect([v2.manifest.keys, manifest.keys]).toEqual([0, trust.version]);
    expect(manifest.kernels.find((k) => k.target === TARGET)).toEqual(signed);
    await expect(sc.releaseManifest("v3")).rejects.toThrow(); // not by the old key any more
  });
});
