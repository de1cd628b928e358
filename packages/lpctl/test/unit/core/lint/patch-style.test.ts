/**
 * The patch-file rule on the common diff styles: every style `patch -p1`
 * applies the same way is accepted with no finding, the style is named, and a
 * repository that asks for one style gets a warning (never an error) on the
 * others. The fixtures are real diffs of Linux 6.1 files, one per style.
 */
import { describe, expect, it } from "vitest";
import { parseDiff } from "../../../../src/core/diff.js";
import { lintEntry } from "../../../../src/core/lint/lint-entry.js";
import { patchStyleOf } from "../../../../src/core/lint/patch-style.js";
import { STYLE_FIXTURES, styleEntry as entryOf } from "@livepatch-gitops/test-support/patch-styles";

describe("patch-file on the common patch styles", () => {
  it.each(STYLE_FIXTURES)("accepts %s with no finding at all", (dir, file, _style, patched) => {
    const entry = entryOf(dir, file);
    expect(lintEntry(entry)).toEqual([]);
    expect(parseDiff(entry.text).map((f) => f.path)).toEqual([patched]);
  });

  it.each(STYLE_FIXTURES)("names the style of %s", (dir, file, style) => {
    const { text } = entryOf(dir, file);
    expect(patchStyleOf(text, parseDiff(text))).toBe(style);
  });

  it.each(STYLE_FIXTURES)(
    "warns on %s only when the repository asks for another style, and says which",
    (dir, file, style) => {
      const entry = entryOf(dir, file);
      expect(lintEntry(entry, undefined, style)).toEqual([]);
      for (const wanted of (["git", "diff", "quilt"] as const).filter((s) => s !== style)) {
        const findings = lintEntry(entry, undefined, wanted);
        expect(findings).toHaveLength(1);
        expect(findings[0]).toMatchObject({ severity: "warning", rule: "patch-file" });
        expect(findings[0]?.message).toContain(`written in the ${style} (`);
        expect(findings[0]?.message).toContain(`this repository asks for ${wanted} (`);
      }
    },
  );

  it.each([
    [
      "sides that differ after the strip",
      "--- src.orig/fs/proc/uptime.c\n+++ src/fs/proc/loadavg.c\n",
      "line 1: 'src.orig/fs/proc/uptime.c' and 'src/fs/proc/loadavg.c' name different files after patch -p1 strips their first component ('fs/proc/uptime.c' and 'fs/proc/loadavg.c')",
    ],
    [
      "an absolute path",
      "--- /usr/src/linux/fs/x.c\n+++ /usr/src/linux/fs/x.c\n",
      "line 1: path '/usr/src/linux/fs/x.c' is absolute",
    ],
    [
      "a '..' component",
      "--- src.orig/../fs/x.c\n+++ src/../fs/x.c\n",
      "line 1: path 'src.orig/../fs/x.c' has a '..' component",
    ],
    [
      "a strip that leaves nothing",
      "--- x.c\n+++ x.c\n",
      "line 1: path 'x.c' has nothing left after patch -p1 strips its first component",
    ],
    [
      "a -p0 path",
      "--- mm/memory.c\n+++ mm/memory.c\n",
      "line 1: path 'mm/memory.c' has no leading directory: patch -p1 would strip 'mm/' and patch 'memory.c'",
    ],
  ])("keeps a coded, located error for %s", (_what, headers, message) => {
    const text = `${headers}@@ -1 +1 @@\n-a\n+b\n`;
    const findings = lintEntry({ path: "bad.patch", size: text.length, text });
    expect(findings.map((f) => f.severity)).toContain("error");
    expect(findings[0]?.rule).toBe("patch-file");
    expect(findings[0]?.startLine).toBe(1);
    expect(findings[0]?.message).toContain(message.replace(/^line 1: /, ""));
  });

  it("keeps a prefix that is itself a kernel directory when what follows is one too", () => {
    const text = "--- kernel.orig/kernel/sys.c\n+++ kernel/kernel/sys.c\n@@ -1 +1 @@\n-a\n+b\n";
    expect(lintEntry({ path: "k.patch", size: text.length, text })).toEqual([]);
  });
});
