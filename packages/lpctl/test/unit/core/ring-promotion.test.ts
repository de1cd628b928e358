/** What a promotion PR may do to the rings: name our releases, move forward, wait out the soak. */
import { describe, expect, it } from "vitest";
import { checkPromotion } from "../../../src/core/ring-promotion.js";
import type { RingsFile } from "../../../src/core/rings.js";

const NOW = new Date("2026-12-07T12:00:00Z");
const rings = (release: number, soakHours?: number): RingsFile => ({
  rings: [
    { name: "canary" },
    { name: "stable", release, ...(soakHours === undefined ? {} : { soakHours }) },
  ],
});
const issued = new Map([
  [3, "2026-12-06T12:00:00Z"],
  [5, "2026-12-07T06:00:00Z"],
]);
const codes = (v: ReturnType<typeof checkPromotion>) => v.problems.map((p) => p.code);

describe("checkPromotion", () => {
  it("passes a move forward to a release we published", () => {
    expect(checkPromotion({ before: rings(3), after: rings(5), issued, now: NOW })).toEqual({
      problems: [],
    });
  });

  it("refuses a release we did not publish and a move back", () => {
    expect(codes(checkPromotion({ before: rings(3), after: rings(4), issued, now: NOW }))).toEqual([
      "RING_RELEASE_UNKNOWN",
    ]);
    expect(codes(checkPromotion({ before: rings(5), after: rings(3), issued, now: NOW }))).toEqual([
      "RING_MOVED_BACK",
    ]);
  });

  it("holds a promotion until the release has soaked, and says until when", () => {
    const v = checkPromotion({ before: rings(3), after: rings(5, 24), issued, now: NOW });
    expect(codes(v)).toEqual(["RING_SOAKING"]);
    expect(v.soakUntil?.toISOString()).toBe("2026-12-08T06:00:00.000Z");
    expect(v.problems[0]?.message).toContain("until 2026-12-08T06:00:00.000Z");
    // After the soak, the same change passes; a ring that does not move does not soak again.
    const later = new Date("2026-12-08T06:00:00Z");
    expect(checkPromotion({ before: rings(3), after: rings(5, 24), issued, now: later })).toEqual({
      problems: [],
    });
    expect(checkPromotion({ before: rings(5), after: rings(5, 24), issued, now: NOW })).toEqual({
      problems: [],
    });
  });
});
