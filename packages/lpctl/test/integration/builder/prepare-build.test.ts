/**
 * The builder against the real tools: one shared prepare of the lab kernel
 * (cold: a full kernel build; later runs hit the cache), one cumulative
 * kpatch-build, and the refusals and bad inputs a patch author can cause.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildModule, type BuildOptions } from "../../../src/builder/build/build.js";
import { systemClock } from "../../../src/io/clock.js";
import { loadBuildInputs } from "../../../src/builder/build/build-inputs.js";
import { prepareKernel, type PreparedKernel } from "../../../src/builder/kernel/prepare.js";
import { execaRunner } from "../../../src/builder/runtime/runner.js";
import { BuildReportSchema } from "../../../src/core/build-report.js";
import { preparedSourceTree } from "../../../src/builder/lint/build-lint.js";
import { readKpatchTraits } from "../../../src/builder/kpatch/kpatch-traits.js";
import { gatherSourceFacts } from "../../../src/builder/lint/lint-source.js";
import { dirSourceTree } from "../../../src/builder/lint/source-tree.js";
import { findKpatchBuild } from "../../../src/builder/runtime/tools.js";
import { lintPatch } from "../../../src/core/lint/lint.js";
import { CACHE, recordingRunner, REPO, tmpRepo } from "./helpers.js";

const TARGET = "debian-6.1-lab";
const lines: string[] = [];
const print = (l: string) => lines.push(l);
const out = () => mkdtempSync(join(tmpdir(), "lpctl-out-"));

function opts(over: Partial<BuildOptions>): BuildOptions {
  return {
    runner: execaRunner,
    clock: systemClock,
    print,
    env: process.env,
    repoDir: REPO,
    cacheDir: CACHE,
    targetId: TARGET,
    outDir: out(),
    ...over,
  };
}

const report = (dir: string) =>
  BuildReportSchema.parse(JSON.parse(readFileSync(join(dir, "build-report.json"), "utf8")));

let prepared: PreparedKernel;

beforeAll(async () => {
  const { target } = await loadBuildInputs(REPO, TARGET);
  prepared = await prepareKernel(target, {
    runner: execaRunner,
    clock: systemClock,
    print,
    cacheDir: CACHE,
    repoDir: REPO,
  });
});

describe("kernel prepare (real kernel build)", () => {
  it("records release, build-id, compiler and pristine files", () => {
    expect(prepared.release).toBe("6.1.192");
    expect(prepared.buildId).toMatch(/^[0-9a-f]{40}$/);
    expect(prepared.compiler).toMatch(/^gcc /);
    for (const f of ["vmlinux", "bzImage", "System.map", "Module.symvers", ".config"]) {
      expect(existsSync(join(prepared.pristine, f))).toBe(true);
    }
  });

  it("is a no-op the second time: cached, no make", async () => {
    const { target } = await loadBuildInputs(REPO, TARGET);
    const runner = recordingRunner();
    const again = await prepareKernel(target, {
      runner,
      clock: systemClock,
      print,
      cacheDir: CACHE,
      repoDir: REPO,
    });
    expect(again.cached).toBe(true);
    expect(again.dir).toBe(prepared.dir);
    expect(runner.commands).not.toContain("make");
  });
});

describe("the source-aware lint on the real prepared tree", () => {
  // packages/lpctl/test/fixtures/lint-src/tree is a cut of this tree; the whole tree (every
  // Makefile, a grep over all of it, the full System.map) must decide the same.
  const LINT_SRC = join(REPO, "packages/lpctl/test/fixtures/lint-src");
  it.each([
    ["notrace-declared", ["jump-label-or-static-call", "untraceable-function"]],
    ["untraced-object", ["untraceable-function"]],
    ["jump-label-vmlinux-key-array", ["jump-label-or-static-call"]],
    ["jump-label-unbuilt-key", ["jump-label-or-static-call"]],
    ["static-call-changed-function", []],
    ["include-other", []],
    ["init-split-declaration", ["init-code"]],
    ["static-local-removed-above-context", ["static-local-removed"]],
  ])("%s: %j", async (name, rules) => {
    const text = readFileSync(join(LINT_SRC, "cases", `${name}.patch`), "utf8");
    const kpatch = await readKpatchTraits(await findKpatchBuild(process.env));
    const real = preparedSourceTree(prepared.tree, prepared.pristine, execaRunner);
    const cut = dirSourceTree(join(LINT_SRC, "tree"), execaRunner);
    const verdicts = async (tree: typeof real) => {
      const [facts] = await gatherSourceFacts(tree, [text], kpatch);
      return lintPatch(name, text, facts).map((f) => [f.file, f.startLine, f.severity, f.rule]);
    };
    const onReal = await verdicts(real);
    expect(onReal.filter((f) => f[2] === "error").map((f) => f[3])).toEqual(rules);
    expect(onReal).toEqual(await verdicts(cut));
  });
});

describe("lpctl build (real kpatch-build)", () => {
  it("builds the cumulative module for the lab target", async () => {
    const outDir = out();
    const source = {
      repository: "o/r",
      commit: "0123456789abcdef0123456789abcdef01234567",
      ref: "refs/heads/main",
      event: "push",
      workflowRun: "42",
    };
    const r = await buildModule(opts({ outDir, source }));
    expect(r.modulePath && existsSync(r.modulePath)).toBe(true);
    const rep = report(outDir);
    expect(rep.result).toBe("success");
    expect(rep.source).toEqual(source);
    expect(rep.buildId).toBe(prepared.buildId);
    expect(rep.changes).toContainEqual({
      object: "cmdline.o",
      kind: "changed",
      function: "cmdline_proc_show",
    });
    expect(rep.patches.map((p) => p.id)).toContain("cmdline-banner");
    expect(rep.module?.vermagic).toMatch(/^6\.1\.192 /);
    expect(rep.module?.name).toMatch(/^lp_debian_6_1_lab_dev[0-9a-f]{8}$/);
    const modinfo = await execaRunner.run("modinfo", ["-F", "livepatch", r.modulePath ?? ""]);
    expect(modinfo.stdout.trim()).toBe("Y");
    expect(readFileSync(join(outDir, "build.log"), "utf8")).toContain("SUCCESS");
  });

  it("fails a change to an __init function with rule init-code and no module", async () => {
    const outDir = out();
    const repoDir = tmpRepo(["version-init"]);
    await expect(buildModule(opts({ repoDir, outDir, serial: "7" }))).rejects.toMatchObject({
      code: "KPATCH_BUILD_FAILED",
      details: { patch: "version-init", rule: "init-code" },
    });
    expect(readdirSync(outDir).filter((f) => f.endsWith(".ko"))).toEqual([]);
    const rep = report(outDir);
    expect(rep).toMatchObject({
      result: "failure",
      error: { code: "KPATCH_BUILD_FAILED", rule: "init-code", patch: "version-init" },
    });
    expect(rep.error?.logTail.join("\n")).toContain(".init.text not selected for inclusion");
  });

  it("fails a patch that does not apply with PATCH_APPLY_FAILED naming it", async () => {
    const outDir = out();
    const repoDir = tmpRepo(["cmdline-noapply"], ["cmdline-banner"]);
    await expect(buildModule(opts({ repoDir, outDir }))).rejects.toMatchObject({
      code: "PATCH_APPLY_FAILED",
      details: { patch: "cmdline-noapply" },
    });
    expect(report(outDir).error?.patch).toBe("cmdline-noapply");
  });

  it("reports TOOL_MISSING when LPCTL_KPATCH_BUILD points nowhere", async () => {
    const env = { ...process.env, LPCTL_KPATCH_BUILD: "/nonexistent/kpatch-build" };
    await expect(buildModule(opts({ env }))).rejects.toMatchObject({ code: "TOOL_MISSING" });
  });
});
