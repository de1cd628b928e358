/**
 * The release's OpenVEX document per kernel, built from the signed manifest
 * alone, and the records on manifest entries: every document is validated
 * against the official OpenVEX 0.2.0 schema.
 */
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../src/core/canonical-json.js";
import { nextManifest } from "../../../src/core/manifest-build.js";
import { ManifestSchema } from "../../../src/core/manifest.js";
import { kernelProducts, releaseVex, vexFileName } from "../../../src/core/openvex.js";
import { openvexErrors } from "@livepatch-gitops/test-support/openvex-schema";
import { PATCHES, fakeReport } from "@livepatch-gitops/test-support/report-fixture";

const now = new Date("2026-11-21T12:00:00.250Z");
const rec = { cve: "CVE-2024-1234", reason: "changes struct sk_buff layout", fixedIn: "6.1.119-1" };
const manifest = nextManifest({
  patches: PATCHES,
  repository: "example/lp",
  now,
  reports: [fakeReport("a", ["p1", "p2"]), fakeReport("b", ["p2"])],
  records: { a: [rec] },
});

describe("records on manifest entries", () => {
  it("puts a target's records on its entry only, and the manifest schema accepts them", () => {
    expect(manifest.kernels[0]?.notLivePatchable).toEqual([rec]);
    expect(manifest.kernels[1]?.notLivePatchable).toBeUndefined();
    expect(ManifestSchema.parse(JSON.parse(canonicalJson(manifest)))).toEqual(manifest);
  });

  it("refuses a record for a CVE the target's module live patches (CVE_CONFLICT)", () => {
    expect(() =>
      nextManifest({
        patches: PATCHES,
        repository: "example/lp",
        now,
        reports: [fakeReport("a", ["p1"])],
        records: { a: [{ ...rec, cve: "CVE-2026-0001" }] },
      }),
    ).toThrow(expect.objectContaining({ code: "CVE_CONFLICT" }));
  });

  it("refuses a manifest whose record has a bad fixedIn or CVE id", () => {
    const entry = manifest.kernels[0];
    for (const bad of [
      { ...rec, fixedIn: ">= 6.1" },
      { ...rec, cve: "CVE-1" },
    ]) {
      const tampered = { ...manifest, kernels: [{ ...entry, notLivePatchable: [bad] }] };
      expect(ManifestSchema.safeParse(tampered).success).toBe(false);
    }
  });
});

describe("releaseVex", () => {
  const [a, b] = manifest.kernels;
  if (a === undefined || b === undefined) throw new Error("fixture");
  const doc = releaseVex(manifest, a);

  it("is a valid OpenVEX 0.2.0 document: fixed per live-patched CVE, affected with the reboot action per record", () => {
    expect(openvexErrors(doc)).toBe("");
    expect(doc?.statements.map((s) => [s.vulnerability.name, s.status])).toEqual([
      ["CVE-2026-0001", "fixed"],
      ["CVE-2024-1234", "affected"],
    ]);
    expect(doc?.statements[1]?.action_statement).toBe(
      "reboot into ≥ 6.1.119-1 (not live patchable: changes struct sk_buff layout)",
    );
    expect(doc?.timestamp).toBe(manifest.issued);
    expect(doc?.version).toBe(manifest.version);
    expect(vexFileName(a.buildId)).toBe(`vex-${a.buildId}.json`);
  });

  it("names the exact build by build-id, and Debian's image package by the purl Trivy generates", () => {
    expect(doc?.statements[0]?.products.map((p) => p["@id"])).toEqual([
      `pkg:generic/linux@6.1.0-a?arch=x86_64&build-id=${a.buildId}`,
    ]);
    const debian = kernelProducts({
      release: "6.1.0-57-cloud-amd64",
      arch: "x86_64",
      buildId: "01d2",
    });
    expect(debian.map((p) => p["@id"])).toEqual([
      "pkg:generic/linux@6.1.0-57-cloud-amd64?arch=x86_64&build-id=01d2",
      "pkg:deb/debian/linux-image-6.1.0-57-cloud-amd64?arch=amd64",
    ]);
    // A distribution's binary kernel names its package's exact version (the
    // signed entry's image): Trivy then matches that upload only.
    const pinned = kernelProducts({
      release: "6.1.0-57-cloud-amd64",
      arch: "x86_64",
      buildId: "01d2",
      image: { debian: { package: "linux-image-6.1.0-57-cloud-amd64", version: "1:6.1.192-3" } },
    });
    expect(pinned.map((p) => p["@id"])).toEqual([
      "pkg:generic/linux@6.1.0-57-cloud-amd64?arch=x86_64&build-id=01d2",
      "pkg:deb/debian/linux-image-6.1.0-57-cloud-amd64@1%3A6.1.192-3?arch=amd64",
    ]);
    // The lab kernel's release is no Debian package name.
    expect(kernelProducts({ release: "6.1.192", arch: "x86_64", buildId: "01d2" })).toHaveLength(1);
  });

  it("is checked for real: an affected statement without its action fails the schema", () => {
    const affected = doc?.statements[1];
    if (affected === undefined) throw new Error("fixture");
    const { action_statement, ...bare } = affected;
    expect(action_statement).toBeDefined();
    expect(openvexErrors({ ...doc, statements: [bare] })).toMatch(/action_statement/);
  });

  it("is the same bytes for the same manifest, and none for an entry without CVEs", () => {
    expect(canonicalJson(releaseVex(manifest, a))).toBe(canonicalJson(doc));
    expect(releaseVex(manifest, b)).toBeUndefined();
  });
});
