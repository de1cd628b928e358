import { describe, expect, it } from "vitest";
import { nextManifest } from "../../../src/core/manifest-build.js";
import { generateSigningKey } from "../../../src/core/sign/generate-signing-key.js";
import { createOpenpgpSigner } from "../../../src/core/sign/openpgp-signer.js";
import { verifyManifest } from "../../../src/core/verify/index.js";
import { releaseFiles } from "../../../src/publisher/release-files.js";
import { fakeReport, moduleBytes, PATCHES } from "@livepatch-gitops/test-support/report-fixture";

describe("releaseFiles", async () => {
  const key = await generateSigningKey({ name: "t" });
  const signer = await createOpenpgpSigner(key.privateKey);
  const now = new Date();
  const manifest = nextManifest({
    reports: [fakeReport("b"), fakeReport("a")],
    patches: PATCHES,
    repository: "e/lp",
    now,
  });
  const modules = new Map(
    manifest.kernels.map((k) => [k.module?.file ?? "", moduleBytes(k.target)]),
  );

  it("signs everything and orders modules, per-kernel manifests, then manifest.json", async () => {
    const files = await releaseFiles({ manifest, modules, signer, now });
    const names = files.map((f) => f.name);
    expect(names.slice(0, 4)).toEqual([
      "livepatch-a.ko",
      "livepatch-a.ko.asc",
      "livepatch-b.ko",
      "livepatch-b.ko.asc",
    ]);
    expect(names.slice(-2)).toEqual(["manifest.json", "manifest.json.asc"]);
    const get = (n: string): Uint8Array =>
      files.find((f) => f.name === n)?.bytes ?? new Uint8Array();
    for (const k of manifest.kernels) {
      const name = `kernel-${k.buildId}.json`;
      const r = await verifyManifest({
        manifest: get(name),
        signature: get(`${name}.asc`),
        keys: [key.publicKey],
        now,
      });
      expect(r.manifest.kernels).toEqual([k]);
    }
  });

  it("refuses a module that is missing or differs from its report", async () => {
    await expect(releaseFiles({ manifest, modules: new Map(), signer })).rejects.toMatchObject({
      code: "FILE_MISSING",
    });
    const wrong = new Map([...modules].map(([n, b]) => [n, b.map((x) => x ^ 1)]));
    await expect(releaseFiles({ manifest, modules: wrong, signer })).rejects.toMatchObject({
      code: "DIGEST_MISMATCH",
    });
  });
});
