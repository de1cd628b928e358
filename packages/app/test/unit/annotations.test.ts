import { describe, expect, it } from "vitest";
import { diffLineIndex, findingAnnotations } from "../../src/annotations.js";
import { parseDiff } from "@livepatch-gitops/lpctl/core/diff";
import type { Finding } from "@livepatch-gitops/lpctl/core/lint/finding";
import { styleEntry } from "@livepatch-gitops/test-support/patch-styles";

const PATCH = [
  "From: a",
  "Subject: fix",
  "---",
  "--- a/fs/proc/cmdline.c",
  "+++ b/fs/proc/cmdline.c",
  "@@ -10,3 +10,4 @@ static int f(void)",
  " int a;",
  "-int b;",
  "+int c;",
  "+int d;",
  " return 0;",
].join("\n");

describe("annotations on diff lines", () => {
  it("maps a new-side source line to its line in the .patch file", () => {
    const index = diffLineIndex(PATCH);
    expect(index.get("fs/proc/cmdline.c\u000010")).toBe(7);
    expect(index.get("fs/proc/cmdline.c\u000011")).toBe(9);
    expect(index.get("fs/proc/cmdline.c\u000012")).toBe(10);
    expect(index.get("fs/proc/cmdline.c\u000013")).toBe(11);
  });

  it("maps every line of a quilt-style patch (Index:, src.orig/ and src/) to the file parseDiff names", () => {
    const { text } = styleEntry("style-quilt", "0001-uptime-check.patch");
    const index = diffLineIndex(text);
    const lines = text.split("\n");
    for (const h of parseDiff(text)[0]?.hunks ?? [])
      for (const l of h.lines) {
        if (l.newLine === undefined) continue;
        const at = index.get(`fs/proc/uptime.c\u0000${l.newLine}`);
        expect(at, `new line ${l.newLine}`).toBeDefined();
        expect(lines[(at ?? 0) - 1]?.slice(1)).toBe(l.text);
      }
  });

  it("keeps counting through a context line that lost its leading space", () => {
    const index = diffLineIndex("--- a/f.c\n+++ b/f.c\n@@ -1,3 +1,4 @@\n a\n\tc\n+new\n d\n");
    expect(index.get("f.c\u00003")).toBe(6);
    expect(index.get("f.c\u00004")).toBe(7);
  });

  it("annotates the patch file with the finding's level and range", () => {
    const f: Finding = {
      patch: "patches/p/0001.patch",
      file: "fs/proc/cmdline.c",
      startLine: 11,
      endLine: 12,
      severity: "error",
      rule: "init-code",
      message: "m",
    };
    const [a] = findingAnnotations([f], new Map([[f.patch, PATCH]]));
    expect(a).toMatchObject({
      path: "patches/p/0001.patch",
      start_line: 9,
      end_line: 10,
      annotation_level: "failure",
    });
  });

  it("a finding on the patch file itself keeps its line", () => {
    const f: Finding = {
      patch: "patches/p/0001.patch",
      file: "patches/p/0001.patch",
      startLine: 4,
      endLine: 4,
      severity: "error",
      rule: "patch-file",
      message: "m",
    };
    expect(findingAnnotations([f], new Map())[0]).toMatchObject({ start_line: 4, end_line: 4 });
  });
});
