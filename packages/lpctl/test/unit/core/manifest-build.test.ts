import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../src/core/canonical-json.js";
import { nextManifest, refreshManifest, splitManifest } from "../../../src/core/manifest-build.js";
import { ManifestSchema } from "../../../src/core/manifest.js";
import { PATCHES, fakeReport } from "@livepatch-gitops/test-support/report-fixture";

const now = new Date("2026-11-21T12:00:00.250Z");
const base = { patches: PATCHES, repository: "example/lp", now };

describe("nextManifest", () => {
  it("starts at version 1 with a 14-day window, kernels sorted by target, patches in report order", () => {
    const m = nextManifest({
      ...base,
      reports: [fakeReport("zeta", ["p2", "p1"]), fakeReport("alpha")],
    });
    expect(m.version).toBe(1);
    expect(m.issued).toBe("2026-11-21T12:00:00.000Z");
    expect(m.expires).toBe("2026-12-05T12:00:00.000Z");
    expect(m.kernels.map((k) => k.target)).toEqual(["alpha", "zeta"]);
    expect(m.kernels[1]?.patches.map((p) => p.id)).toEqual(["p2", "p1"]);
    expect(m.kernels[0]?.patches[0]).toEqual({ id: "p1", ...PATCHES.p1 });
  });

  it("increments the previous version and honours the lifetime", () => {
    const first = nextManifest({ ...base, reports: [fakeReport("a")] });
    const second = nextManifest({
      ...base,
      previous: first,
      reports: [fakeReport("a")],
      lifetimeDays: 1,
    });
    expect(second.version).toBe(2);
    expect(second.expires).toBe("2026-11-22T12:00:00.000Z");
  });

  it("is deterministic: the same input gives the same bytes, whatever the report order", () => {
    const a = nextManifest({ ...base, reports: [fakeReport("a"), fakeReport("b")] });
    const b = nextManifest({ ...base, reports: [fakeReport("b"), fakeReport("a")] });
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toMatch(/^\{"expires":"[^"]+","issued":.*\}\n$/);
  });

  it("carries a binary kernel's package and version from its report, and nothing for one without", () => {
    const image = { debian: { package: "linux-image-6.1.0-57-cloud-amd64", version: "6.1.192-3" } };
    const m = nextManifest({
      ...base,
      reports: [{ ...fakeReport("cloud"), image }, fakeReport("lab")],
    });
    expect(ManifestSchema.parse(m)).toEqual(m);
    expect(m.kernels.map((k) => k.image)).toEqual([image, undefined]);
    expect(m.kernels[1]).not.toHaveProperty("image");
  });

  it("refuses failed builds, duplicate targets and undescribed patches", () => {
    const failed = { ...fakeReport("a"), result: "failure" as const };
    expect(() => nextManifest({ ...base, reports: [failed] })).toThrow(
      expect.objectContaining({ code: "BUILD_REPORT_INVALID" }),
    );
    expect(() => nextManifest({ ...base, reports: [fakeReport("a"), fakeReport("a")] })).toThrow(
      expect.objectContaining({ code: "MANIFEST_DUPLICATE_TARGET" }),
    );
    expect(() => nextManifest({ ...base, reports: [fakeReport("a", ["nope"])] })).toThrow(
      expect.objectContaining({ code: "PATCH_INVALID" }),
    );
  });
});

describe("refreshManifest and splitManifest", () => {
  it("re-issues the same content with a new version and expiry", () => {
    const m = nextManifest({ ...base, reports: [fakeReport("a")] });
    const later = new Date("2026-11-30T00:00:00Z");
    const r = refreshManifest(m, later);
    expect(r.version).toBe(2);
    expect(r.kernels).toEqual(m.kernels);
    expect(r.issued).toBe(later.toISOString());
  });

  it("gives each kernel its own manifest with the same header", () => {
    const m = nextManifest({ ...base, reports: [fakeReport("a"), fakeReport("b")] });
    const parts = splitManifest(m);
    expect(parts).toHaveLength(2);
    for (const [i, part] of parts.entries()) {
      expect(ManifestSchema.parse(part)).toEqual(part);
      expect(part.kernels).toEqual([m.kernels[i]]);
      expect({ ...part, kernels: [] }).toEqual({ ...m, kernels: [] });
    }
  });
});
