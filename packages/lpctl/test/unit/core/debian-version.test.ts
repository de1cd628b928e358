import { describe, expect, it } from "vitest";
import { compareDebianVersions, newestDebianVersion } from "../../../src/core/debian-version.js";
import { ASCENDING } from "../../fixtures/debian/versions.js";

describe("compareDebianVersions", () => {
  it.each(ASCENDING)("%s < %s", (a, b) => {
    expect(compareDebianVersions(a, b)).toBeLessThan(0);
    expect(compareDebianVersions(b, a)).toBeGreaterThan(0);
  });

  it("treats leading zeros and an explicit zero epoch as equal", () => {
    expect(compareDebianVersions("0:1.02-1", "1.2-1")).toBe(0);
  });

  it("picks the newest of an unsorted list", () => {
    expect(newestDebianVersion(["6.1.187-1", "6.1.192-3", "6.1.192-2", "6.1.176-1"])).toBe(
      "6.1.192-3",
    );
    expect(newestDebianVersion([])).toBeUndefined();
  });
});
