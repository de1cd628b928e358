import { describe, expect, it } from "vitest";
import { checkPolicy } from "../../src/policy.js";

describe("infrastructure policy", () => {
  it.each([
    [[".github/workflows/build.yml", "patches/p/0001.patch"], false],
    [["packages/lpctl/src/builder/build/build.ts", "kernels/a/target.yaml"], false],
    [["scripts/install-build-deps.sh", "patches/p/patch.yaml"], false],
    [["package.json", "patches/p/patch.yaml"], false],
    [["package-lock.json", "patches/p/patch.yaml"], false],
    [["patches/p/patch.yaml", "patches/p/0001.patch"], true],
    [[".github/workflows/build.yml"], true],
    // The reviewers and the trusted workflow path are governance, not content.
    [[".github/livepatch.yml", "patches/p/0001.patch"], false],
    [[".github/CODEOWNERS", "kernels/a/target.yaml"], false],
    [[".github/livepatch.yml"], true],
    [["docs/app.md", "patches/p/0001.patch"], true],
  ])("%j → ok %s", (paths, ok) => {
    expect(checkPolicy(paths).ok).toBe(ok);
  });

  it("names the offending paths and says what to do", () => {
    const v = checkPolicy([
      "patches/p/x.patch",
      ".github/workflows/build.yml",
      "packages/app/src/a.ts",
    ]);
    expect(v.offending).toEqual([".github/workflows/build.yml", "packages/app/src/a.ts"]);
    expect(v.summary).toContain("their own maintainer-reviewed pull request");
  });
});
