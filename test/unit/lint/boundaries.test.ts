/**
 * The workspace packages' boundaries (eslint.boundaries.js) hold in the
 * project's real ESLint configuration: each crossing below is an error, each
 * allowed import is not. `npm run lint` runs the same rules on every file.
 */
import { ESLint } from "eslint";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const eslint = new ESLint({ cwd: ROOT });

/** The messages of no-restricted-imports for `code` as if it were the file `file`. */
async function crossings(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === "no-restricted-imports" || m.fatal === true)
    .map((m) => m.message);
}

describe("package boundaries", () => {
  it("keep the product free of the forge, the app and the demo", async () => {
    const file = "packages/lpctl/src/core/probe.mjs";
    expect(await crossings(file, 'import { startForge } from "@livepatch-gitops/forge";')).toEqual([
      expect.stringContaining("lpctl must not depend on forge, app, demo, test-support"),
    ]);
    expect(await crossings(file, 'export * from "@livepatch-gitops/app";')).toHaveLength(1);
  });

  it("keep the forge publishable alone: not even the product's errors", async () => {
    const file = "packages/forge/src/probe.mjs";
    expect(
      await crossings(file, 'import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";'),
    ).toEqual([expect.stringContaining("forge must not depend on lpctl")]);
  });

  it("refuse a relative path into another package, in sources and in tests", async () => {
    for (const [file, spec] of [
      ["packages/forge/src/probe.mjs", "../../lpctl/src/core/errors.js"],
      ["packages/app/test/unit/probe.mjs", "../../../lpctl/src/core/errors.js"],
      ["packages/lpctl/test/unit/core/probe.mjs", "../../../../test-support/src/repo-fixture.js"],
    ] as const) {
      expect(await crossings(file, `import { x } from "${spec}";`), file).toEqual([
        expect.stringContaining("by its name (@livepatch-gitops/<pkg>) and its exports"),
      ]);
    }
    expect(
      await crossings("bench/probe.mjs", 'import { x } from "../packages/lpctl/dist/core/x.js";'),
    ).toEqual([expect.stringContaining("by its name")]);
  });

  it("allow what the packages may use: the product from the app, devDependencies from tests", async () => {
    expect(
      await crossings(
        "packages/app/src/probe.mjs",
        'import { x } from "@livepatch-gitops/lpctl/core/errors";',
      ),
    ).toEqual([]);
    expect(
      await crossings(
        "packages/app/test/unit/probe.mjs",
        'import { x } from "@livepatch-gitops/forge";',
      ),
    ).toEqual([]);
    expect(
      await crossings("packages/forge/src/probe.mjs", 'import { x } from "./errors.js";'),
    ).toEqual([]);
  });
});
