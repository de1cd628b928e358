import { execa } from "execa";
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("vendored @actions bundle", () => {
  it("is what packages/forge/scripts/bundle-actions.mjs generates from the installed packages", async () => {
    const out = path.join(
      await mkdtemp(path.join(os.tmpdir(), "lpctl-actions-bundle-")),
      "actions.mjs",
    );
    await execa("node", ["packages/forge/scripts/bundle-actions.mjs", out]);
    const committed = await readFile("packages/forge/src/runner/vendor/actions.mjs", "utf8");
    // Equal bytes; the header first, for a readable failure after a package upgrade.
    const fresh = await readFile(out, "utf8");
    expect(fresh.split("\n").slice(0, 2)).toEqual(committed.split("\n").slice(0, 2));
    expect(fresh === committed).toBe(true);
  });

  it("loads on plain Node, where the packages themselves do not", async () => {
    const probe = `import("./packages/forge/src/runner/vendor/actions.mjs").then((m) => console.log(typeof m.parseWorkflow, typeof m.Evaluator))`;
    expect((await execa("node", ["-e", probe])).stdout).toBe("function function");
    const direct = await execa(
      "node",
      ["--input-type=module", "-e", 'await import("@actions/workflow-parser")'],
      {
        reject: false,
      },
    );
    // Plain Node cannot load them (Node 20 names it an import assertion, 22+
    // an import attribute); when this stops failing, the bundle can go.
    expect(direct.stderr).toMatch(/ERR_IMPORT_(ASSERTION_TYPE|ATTRIBUTE)_MISSING/);
  });
});
