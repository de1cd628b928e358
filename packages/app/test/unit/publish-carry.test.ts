/**
 * Attack audit items 7–8, through the app's workflow_run handler: carried
 * targets come only from the app's previous signed manifest (an edited
 * build-report asset changes nothing), and the app keeps publishing after a
 * key rotation, with the signed key lists beside the manifest, as `lpctl
 * publish --previous-key --key-lists` does.
 */
import { appendFile, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateSigningKey } from "@livepatch-gitops/lpctl/core/sign/generate-signing-key";
import { createOpenpgpSigner } from "@livepatch-gitops/lpctl/core/sign/openpgp-signer";
import { followKeyLists, verifyManifest } from "@livepatch-gitops/lpctl/core/verify/index";
import { signKeyList } from "@livepatch-gitops/lpctl/publisher/sign-key-list";
import {
  addLab2,
  completeRun,
  LAB2,
  merge,
  patchYaml,
  publishCheck,
  releaseManifest,
} from "./helpers/merges.js";
import { TARGET } from "./helpers/runs.js";
import { scenario } from "./helpers/scenario.js";

const BANNER = "patches/cmdline-banner/patch.yaml";

describe("7. carried targets are re-signed from the signed manifest only", () => {
  it("an edited build-report asset of the previous release does not reach the next manifest", async () => {
    const sc = await scenario();
    await completeRun(sc, await merge(sc, { [BANNER]: patchYaml("Mark cmdline") }));
    const v1 = await releaseManifest(sc, "v1");
    const signed = v1.manifest.kernels.find((k) => k.target === TARGET);
    // The collaborator replaces the unsigned report asset (delete + upload).
    const asset = sc.s.releases[0]?.assets.find((a) => a.name === `build-report-${TARGET}.json`);
    if (!asset) throw new Error("no build report asset");
    const report = JSON.parse(new TextDecoder().decode(asset.bytes)) as Record<string, unknown>;
    const forged = { ...report, buildId: "ab".repeat(20), release: "6.6.6-evil", patches: [] };
    asset.bytes = new TextEncoder().encode(JSON.stringify(forged));

    await completeRun(sc, await merge(sc, addLab2(sc)), [LAB2]);
    const v2 = await releaseManifest(sc, "v2");
    expect(v2.manifest.kernels.map((k) => k.target)).toEqual([TARGET, LAB2]);
    expect(v2.manifest.kernels.find((k) => k.target === TARGET)).toEqual(signed);
  });
});

describe("7b. a carried module must be the signed bytes", () => {
  // The same carry rule as lpctl publish's (packages/lpctl/test/integration/publisher/withdraw.test.ts).
  it("a module in the app's state mirror that no longer matches its signed sha256 stops the publish", async () => {
    const sc = await scenario();
    await completeRun(sc, await merge(sc, { [BANNER]: patchYaml("Mark cmdline") }));
    const v1 = await releaseManifest(sc, "v1");
    const file = v1.manifest.kernels.find((k) => k.target === TARGET)?.module?.file ?? "";
    const found = (await readdir(sc.stateDir, { recursive: true })).find((f) => f.endsWith(file));
    if (!file || !found) throw new Error(`no ${file} under ${sc.stateDir}`);
    await appendFile(join(sc.stateDir, found), "tampered");

    const sha = await merge(sc, addLab2(sc));
    await completeRun(sc, sha, [LAB2]);
    expect(sc.s.releases.map((r) => r.tag)).toEqual(["v1"]);
    expect(publishCheck(sc, sha)?.conclusion).toBe("failure");
    expect(publishCheck(sc, sha)?.output.summary).toContain(
      `${file} does not match signed manifest version 1`,
    );
  });
});

describe("8. publishing after a key rotation", () => {
  it("verifies the previous manifest with a rotated-out key and publishes the key lists", async () => {
    const lists = await mkdtemp(join(tmpdir(), "lpctl-app-lists-"));
    const sc = await scenario(new Date(), { keyLists: lists });
    await completeRun(sc, await merge(sc, { [BANNER]: patchYaml("Mark cmdline") }));
    const v1 = await releaseManifest(sc, "v1");

    const next = await generateSigningKey({ name: "rotated publisher" });
    const nextSigner = await createOpenpgpSigner(next.privateKey);
    const list = await signKeyList({
      current: { version: 0, threshold: 1, keys: [sc.publicKey] },
      keys: [next.publicKey],
      threshold: 1,
      expires: new Date(sc.clock.now.getTime() + 365 * 86_400_000),
      signers: [sc.signer, nextSigner],
      now: sc.clock.now,
    });
    await writeFile(join(lists, list.name), list.bytes);
    await writeFile(join(lists, `${list.name}.asc`), list.signature);
    sc.keys.signer = nextSigner;
    sc.keys.previous = [sc.publicKey];

    await completeRun(sc, await merge(sc, addLab2(sc)), [LAB2]);
    const files = new Map(
      sc.s.releases.find((r) => r.tag === "v2")?.assets.map((a) => [a.name, a.bytes]),
    );
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
    expect(manifest.version).toBe(2);
    // The app names the list its signer belongs to, as `lpctl publish` does.
    expect([v1.manifest.keys, manifest.keys]).toEqual([0, trust.version]);
    expect(manifest.kernels.find((k) => k.target === TARGET)).toEqual(v1.manifest.kernels[0]);
    await expect(releaseManifest(sc, "v2")).rejects.toThrow(); // not by the old key any more
  });
});
