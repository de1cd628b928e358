/**
 * Every patch style the patch-file rule accepts is applied by both build
 * engines the way kpatch-build applies it (`patch -N -p1`): real patch(1) on
 * copies of the lab tree's files, then one cumulative module built from one
 * patch per style with the real kpatch-build and with the per-object engine,
 * each reporting the function every style's patch changes.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildModule, type BuildEngine } from "../../../src/builder/build/build.js";
import { loadBuildInputs } from "../../../src/builder/build/build-inputs.js";
import { systemClock } from "../../../src/io/clock.js";
import { prepareKernel, type PreparedKernel } from "../../../src/builder/kernel/prepare.js";
import { execaRunner } from "../../../src/builder/runtime/runner.js";
import { runCli } from "../../../src/cli/run.js";
import { BuildReportSchema } from "../../../src/core/build-report.js";
import { parseDiff } from "../../../src/core/diff.js";
import { lintEntry } from "../../../src/core/lint/lint-entry.js";
import { STYLE_FIXTURES, styleEntry } from "@livepatch-gitops/test-support/patch-styles";
import { CACHE, REPO, tmpRepo } from "./helpers.js";

const TARGET = "debian-6.1-lab";
const lines: string[] = [];
let prepared: PreparedKernel;

beforeAll(async () => {
  const { target } = await loadBuildInputs(REPO, TARGET);
  prepared = await prepareKernel(target, {
    runner: execaRunner,
    clock: systemClock,
    print: (l) => lines.push(l),
    cacheDir: CACHE,
    repoDir: REPO,
  });
});

describe("accepted patch styles on the real lab tree", () => {
  it.each(STYLE_FIXTURES)(
    "%s: patch -N -p1 patches exactly the file the lint read, to the new side",
    async (dir, file, _style, patched) => {
      const entry = styleEntry(dir, file);
      expect(lintEntry(entry).filter((f) => f.severity === "error")).toEqual([]);
      const copy = mkdtempSync(join(tmpdir(), "lpctl-style-"));
      mkdirSync(join(copy, dirname(patched)), { recursive: true });
      cpSync(join(prepared.tree, patched), join(copy, patched));
      const r = await execaRunner.run("patch", ["-N", "-p1", "--batch", "-d", copy], {
        input: entry.text,
      });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(`patching file ${patched}`);
      const after = readFileSync(join(copy, patched), "utf8").split("\n");
      for (const h of parseDiff(entry.text)[0]?.hunks ?? [])
        for (const l of h.lines)
          if (l.newLine !== undefined) expect(after[l.newLine - 1]).toBe(l.text);
    },
  );

  it.each<[BuildEngine]>([["kpatch-build"], ["per-object"]])(
    "%s builds one module from a patch in every style, changing each one's function",
    async (engine) => {
      const outDir = mkdtempSync(join(tmpdir(), "lpctl-out-"));
      const repoDir = tmpRepo(STYLE_FIXTURES.map(([dir]) => dir));
      const { LPCTL_REUSE_MODULES: _reuse, ...env } = process.env;
      await buildModule({
        runner: execaRunner,
        clock: systemClock,
        print: (l) => lines.push(l),
        env,
        repoDir,
        cacheDir: CACHE,
        targetId: TARGET,
        outDir,
        engine,
      });
      const rep = BuildReportSchema.parse(
        JSON.parse(readFileSync(join(outDir, "build-report.json"), "utf8")),
      );
      expect(rep.result, rep.error?.message).toBe("success");
      expect(rep.patches.map((p) => p.id).sort()).toEqual(STYLE_FIXTURES.map(([d]) => d).sort());
      expect(rep.changes.map((c) => c.function).sort()).toEqual(
        STYLE_FIXTURES.map(([, , , , fn]) => fn).sort(),
      );
      expect(rep.lint?.errors).toBe(0);
    },
  );

  it("a patch file the lint refuses is not left out of the build: lpctl build stops before any work", async () => {
    const repoDir = tmpRepo(STYLE_FIXTURES.map(([dir]) => dir));
    const file = join(repoDir, "patches/style-git/0001-version-check.patch");
    // git diff --no-prefix: -p1 would patch proc/version.c, so patch-file refuses it.
    writeFileSync(file, readFileSync(file, "utf8").replaceAll(" a/", " ").replaceAll(" b/", " "));
    const cache = mkdtempSync(join(tmpdir(), "lpctl-cache-"));
    const err: string[] = [];
    const code = await runCli(["build", "--target", TARGET, "--repo", repoDir, "--cache", cache], {
      out: () => {},
      err: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(err.join("\n")).toContain(
      "PATCH_INVALID: the build does not leave out a patch file validate refuses: patches/style-git/0001-version-check.patch: line 12: path 'fs/proc/version.c' has no leading directory",
    );
    expect(readdirSync(cache)).toEqual([]);
  });
});
