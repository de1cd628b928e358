import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDiff } from "../../../src/core/diff.js";
import { isLpctlError } from "../../../src/core/errors.js";
import { REPO_ROOT } from "@livepatch-gitops/test-support/repo-fixture";

function failure(text: string): { message: string; line: unknown } {
  try {
    parseDiff(text);
  } catch (e) {
    if (isLpctlError(e, "PATCH_INVALID")) return { message: e.message, line: e.details.line };
    throw e;
  }
  throw new Error("parseDiff accepted the input");
}

describe("parseDiff", () => {
  it("parses the real cmdline-banner patch with line numbers on both sides", () => {
    const text = readFileSync(
      join(REPO_ROOT, "patches/cmdline-banner/0001-cmdline-banner.patch"),
      "utf8",
    );
    const [file, ...rest] = parseDiff(text);
    expect(rest).toEqual([]);
    expect(file).toMatchObject({
      path: "fs/proc/cmdline.c",
      oldPath: "fs/proc/cmdline.c",
      newPath: "fs/proc/cmdline.c",
      rawPaths: ["a/fs/proc/cmdline.c", "b/fs/proc/cmdline.c"],
      headerLine: 1,
      binary: false,
    });
    const hunk = file.hunks[0];
    expect(hunk).toMatchObject({ oldStart: 7, oldCount: 7, newStart: 7, newCount: 7 });
    expect(hunk.lines.filter((l) => l.kind !== "context")).toEqual([
      { kind: "del", text: "\tseq_putc(m, '\\n');", oldLine: 10 },
      { kind: "add", text: '\tseq_puts(m, " livepatched\\n");', newLine: 10 },
    ]);
  });

  it("keeps git's section text, strips timestamps, and allows a commit message", () => {
    const text = [
      "From 1234 Mon Sep 17 00:00:00 2001",
      "Subject: [PATCH] fix",
      "",
      "diff --git a/kernel/x.c b/kernel/x.c",
      "index 1111111..2222222 100644",
      "--- a/kernel/x.c\t2026-01-01 00:00:00",
      "+++ b/kernel/x.c\t2026-01-01 00:00:01",
      "@@ -10,2 +10,3 @@ static int x_show(struct seq_file *m)",
      " a",
      "+b",
      " c",
      "\\ No newline at end of file",
      "",
    ].join("\n");
    const [file] = parseDiff(text);
    expect(file.path).toBe("kernel/x.c");
    expect(file.rawPaths).toEqual(["a/kernel/x.c", "b/kernel/x.c", "a/kernel/x.c", "b/kernel/x.c"]);
    expect(file.headerLine).toBe(6);
    expect(file.hunks[0].section).toBe("static int x_show(struct seq_file *m)");
    expect(file.hunks[0].lines.map((l) => [l.kind, l.oldLine, l.newLine])).toEqual([
      ["context", 10, 10],
      ["add", undefined, 11],
      ["context", 11, 12],
    ]);
  });

  it("reads several files, hunks without counts, created and deleted files", () => {
    const text = [
      "--- /dev/null",
      "+++ b/new.c",
      "@@ -0,0 +1 @@",
      "+int x;",
      "--- a/old.c",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-int y;",
    ].join("\n");
    const files = parseDiff(text);
    expect(files.map((f) => [f.path, f.oldPath, f.newPath])).toEqual([
      ["new.c", undefined, "new.c"],
      ["old.c", "old.c", undefined],
    ]);
  });

  it("reads a tab-led line as context that lost its leading space, as GNU patch does", () => {
    // Verified with GNU patch 2.7.6 at --fuzz=0: the tab is kept as part of the line.
    const [f] = parseDiff("--- a/d/f.c\n+++ b/d/f.c\n@@ -1,3 +1,4 @@\n a\n\tc\n+new\n\n");
    expect(f?.hunks[0]?.lines).toEqual([
      { kind: "context", text: "a", oldLine: 1, newLine: 1 },
      { kind: "context", text: "\tc", oldLine: 2, newLine: 2 },
      { kind: "add", text: "new", newLine: 3 },
      { kind: "context", text: "", oldLine: 3, newLine: 4 },
    ]);
  });

  it("marks binary changes", () => {
    const files = parseDiff(
      "diff --git a/x.bin b/x.bin\nBinary files a/x.bin and b/x.bin differ\n" +
        "diff --git a/y.bin b/y.bin\nGIT binary patch\nliteral 1\nIc\n",
    );
    expect(files.map((f) => [f.path, f.binary])).toEqual([
      ["x.bin", true],
      ["y.bin", true],
    ]);
  });

  it.each([
    ["", "not a unified diff: no '---'/'+++' file headers found", undefined],
    ["--- a/x\nnot plus\n", "line 1: '---' header without '+++'", 1],
    ["--- /dev/null\n+++ /dev/null\n", "line 1: both sides of the file header are /dev/null", 1],
    ["@@ -1 +1 @@\n", "line 1: hunk before any '---'/'+++' file header", 1],
    ["--- a/x\n+++ b/x\n@@ bad @@\n", "line 3: malformed hunk header '@@ bad @@'", 3],
    ["--- a/x\n+++ b/x\n@@ -1 +1 @@\n*x\n", "line 4: unexpected line in hunk", 4],
    ["--- a/x\n+++ b/x\n@@ -1,2 +1 @@\n-a\n", "line 4: hunk ends early", 4],
    ["--- a/x\n+++ b/x\n", "x: file header without any hunk", undefined],
    ["diff --git a/x b/x\nold mode 100644\nnew mode 100755\n", "line 1: git header without", 1],
    ["diff --git a/x b/y\ncopy from x\ncopy to y\n", "line 2: git copy is not supported", 2],
  ])("refuses %j", (text, message, line) => {
    const f = failure(text);
    expect(f.message.startsWith(message)).toBe(true);
    expect(f.line).toBe(line);
  });
});
