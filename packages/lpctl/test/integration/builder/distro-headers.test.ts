/**
 * Header changes on Debian's real cloud kernel tree (the prepared tree in
 * the shared cache, Debian's own .config): which objects a header reaches
 * through the tree's #include graph, what compiling them costs, and the
 * refusal of a header that reaches too many, before any compiling, through
 * `lpctl build` itself.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuildInputs } from "../../../src/builder/build/build-inputs.js";
import { preparedSourceTree } from "../../../src/builder/lint/build-lint.js";
import { systemClock } from "../../../src/io/clock.js";
import { changedObjects, MAX_HEADER_OBJECTS } from "../../../src/builder/distro/object-map.js";
import { prepareKernel, type PreparedKernel } from "../../../src/builder/kernel/prepare.js";
import { execaRunner } from "../../../src/builder/runtime/runner.js";
import type { SourceTree } from "../../../src/builder/lint/source-tree.js";
import { runCli } from "../../../src/cli/run.js";
import { BuildReportSchema } from "../../../src/core/build-report.js";
import { isLpctlError } from "../../../src/core/errors.js";
import { distroRepo, TARGET } from "./distro-helpers.js";
import { CACHE } from "./helpers.js";

const headerDiff = (path: string) =>
  `--- a/${path}\n+++ b/${path}\n@@ -1,1 +1,2 @@\n /* SPDX-License-Identifier: GPL-2.0 */\n+/* changed */\n`;

let prepared: PreparedKernel;
let tree: SourceTree;
const scratch: string[] = [];
beforeAll(async () => {
  const repo = distroRepo();
  scratch.push(repo);
  const { target } = await loadBuildInputs(repo, TARGET);
  prepared = await prepareKernel(target, {
    runner: execaRunner,
    clock: systemClock,
    print: () => {},
    cacheDir: CACHE,
    repoDir: repo,
  });
  tree = preparedSourceTree(prepared.tree, prepared.pristine, execaRunner);
}, 900_000);
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

describe("header changes on Debian's cloud kernel", () => {
  it("a directory's own header: every built-in object beside it that includes it, with the cost", async () => {
    const lines: string[] = [];
    const objects = await changedObjects(
      tree,
      [{ patch: "p", text: headerDiff("fs/proc/internal.h") }],
      TARGET,
      (l) => lines.push(l),
    );
    expect(objects).toContain("fs/proc/uptime.o");
    expect(objects.every((o) => o.startsWith("fs/proc/"))).toBe(true);
    // proc-$(CONFIG_MMU) := task_mmu.o replaces the no-MMU list: compiling those would fail.
    expect(objects).toContain("fs/proc/task_mmu.o");
    expect(objects).not.toContain("fs/proc/task_nommu.o");
    expect(objects.length).toBeLessThanOrEqual(MAX_HEADER_OBJECTS);
    expect(lines.join("\n")).toMatch(
      new RegExp(
        `^fs/proc/internal\\.h: included .* by \\d+ \\.c files: ${objects.length} objects ${TARGET} builds into vmlinux, 0 into modules; compiling them before and after costs about ${objects.length * 6} s$`,
      ),
    );
    console.log(`${lines.join("\n")}\n${objects.join(" ")}`);
  }, 120_000);

  it("a header hundreds of objects include: HEADER_CHANGE_TOO_WIDE with the count, some of them and the way out", async () => {
    const started = Date.now();
    let err: unknown;
    const lines: string[] = [];
    await changedObjects(
      tree,
      [{ patch: "p", text: headerDiff("include/linux/proc_fs.h") }],
      TARGET,
      (l) => lines.push(l),
    ).catch((e: unknown) => (err = e));
    console.log(`${lines.join("\n")}\n(${(Date.now() - started) / 1000} s)`);
    expect(isLpctlError(err, "HEADER_CHANGE_TOO_WIDE")).toBe(true);
    const details = (err as { details: { objects: number; estimatedSeconds: number } }).details;
    expect(details.objects).toBeGreaterThan(100);
    expect(details.estimatedSeconds).toBe(details.objects * 6);
    expect((err as Error).message).toMatch(
      new RegExp(
        `patch p changes include/linux/proc_fs\\.h, which reaches ${details.objects} objects ${TARGET} builds into vmlinux \\(more than 50; .*\\), among them .*\\. Way out: patch the functions`,
      ),
    );
  }, 300_000);

  it("lpctl build refuses it before compiling anything, with a failure report", async () => {
    const repo = distroRepo({ "wide-header": headerDiff("include/linux/proc_fs.h") });
    const out = mkdtempSync(join(tmpdir(), "lpctl-hdr-out-"));
    scratch.push(repo, out);
    const err: string[] = [];
    const said: string[] = [];
    const code = await runCli(
      ["build", "--repo", repo, "--target", TARGET, "--cache", CACHE, "--out", out],
      { out: (l) => said.push(l), err: (l) => err.push(l) },
    );
    expect(code).not.toBe(0);
    expect(err.join("\n")).toMatch(/HEADER_CHANGE_TOO_WIDE/);
    // Refused by prepare's precheck: no lint, no per-object build, nothing compiled.
    expect([...said, ...err].join("\n")).not.toMatch(/per-object build|Building original objects/);
    const report = BuildReportSchema.parse(
      JSON.parse(readFileSync(join(out, "build-report.json"), "utf8")),
    );
    expect(report.error).toMatchObject({ code: "HEADER_CHANGE_TOO_WIDE", patch: "wide-header" });
  }, 300_000);
});
