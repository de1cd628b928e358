import { describe, expect, it } from "vitest";
import { formatPushers, parsePushers } from "../../src/pushers.js";

describe("the pushers record in the safety review check run", () => {
  it("round-trips logins, distinct case-insensitively and sorted", () => {
    const id = formatPushers(["bob", "alice", "Bob", "renovate[bot]"]);
    expect(id).toBe("livepatch-pushers:alice,bob,renovate[bot]");
    expect(parsePushers(id)).toEqual(["alice", "bob", "renovate[bot]"]);
  });

  it("records nobody from a value the app did not write", () => {
    expect(parsePushers(null)).toEqual([]);
    expect(parsePushers("")).toEqual([]);
    expect(parsePushers("something-else:bob")).toEqual([]);
  });

  it("drops what is not a GitHub login", () => {
    expect(parsePushers("livepatch-pushers:bob,,-x,a b,carol")).toEqual(["bob", "carol"]);
    expect(formatPushers(["", "bad login", "dave"])).toBe("livepatch-pushers:dave");
  });
});
