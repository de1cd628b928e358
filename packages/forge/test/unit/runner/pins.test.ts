import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PINNED_ACTIONS, resolvePinnedAction } from "../../../src/runner/builtin-actions/pins.js";

describe("pinned actions", () => {
  it("are exactly the uses: of .github/workflows/build.yml", () => {
    const text = readFileSync(".github/workflows/build.yml", "utf8");
    const uses = new Set([...text.matchAll(/uses:\s*(\S+)/g)].map((m) => m[1]));
    expect([...uses].sort()).toEqual(Object.keys(PINNED_ACTIONS).sort());
  });

  it("resolve to their native implementation", () => {
    expect(resolvePinnedAction("actions/checkout@11d5960a326750d5838078e36cf38b85af677262")).toBe(
      "checkout",
    );
  });

  it.each([
    "actions/checkout@v4",
    "actions/checkout@11d5960a326750d5838078e36cf38b85af677263",
    "Actions/Checkout@11d5960a326750d5838078e36cf38b85af677262",
    "actions/cache@0c45773b623bea8c8e75f6c82b208c3cf94ea4f9",
    "./.github/actions/local",
    "docker://debian:bookworm",
    "octo/repo/.github/workflows/reusable.yml@main",
  ])("refuse %s, naming the supported pins", (uses) => {
    expect(() => resolvePinnedAction(uses)).toThrow(
      expect.objectContaining({
        code: "ACTION_UNSUPPORTED",
        message: expect.stringContaining(
          `uses: ${uses} is not supported by the forge runner; it runs only these pinned actions:\n  actions/checkout@11d5960a326750d5838078e36cf38b85af677262`,
        ) as string,
      }),
    );
  });
});
