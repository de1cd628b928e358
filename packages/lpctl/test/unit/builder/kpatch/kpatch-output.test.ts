import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isWarningLine, parseKpatchOutput } from "../../../../src/builder/kpatch/kpatch-output.js";

const log = (name: string) =>
  readFileSync(new URL(`../../../fixtures/kpatch-logs/${name}`, import.meta.url), "utf8");

describe("parseKpatchOutput on real kpatch-build 0.9.10 logs", () => {
  it("reads the changed function, patched objects and module of a cold run", () => {
    const out = parseKpatchOutput(log("cold.log"));
    expect(out.changes).toEqual([
      { object: "cmdline.o", kind: "changed", function: "cmdline_proc_show" },
    ]);
    expect(out.patchedObjects).toEqual(["vmlinux"]);
    expect(out.moduleFile).toBe("livepatch-cmdline.ko");
    expect(out.success).toBe(true);
    expect(out.errors).toEqual([]);
  });

  it("reads a warm run the same way", () => {
    const out = parseKpatchOutput(log("warm.log"));
    expect(out.moduleFile).toBe("livepatch-cmdline2.ko");
    expect(out.changes).toHaveLength(1);
  });

  it("collects the create-diff-object diagnostics of a refused __init change", () => {
    const out = parseKpatchOutput(log("init-refused.log"));
    expect(out.success).toBe(false);
    expect(out.moduleFile).toBeUndefined();
    expect(out.errors).toContain(
      "version.o: changed section .init.text not selected for inclusion",
    );
    expect(out.errors).toContain("create-diff-object: unreconcilable difference");
    expect(out.errors.at(-1)).toMatch(/^ERROR: 1 error\(s\) encountered/);
  });
});

describe("parseKpatchOutput line formats", () => {
  it("accepts the tree path 0.9.11 prints and new functions", () => {
    const out = parseKpatchOutput(
      "fs/proc/meminfo.o: changed function: meminfo_proc_show\nfs/proc/meminfo.o: new function: helper\n",
    );
    expect(out.changes).toEqual([
      { object: "fs/proc/meminfo.o", kind: "changed", function: "meminfo_proc_show" },
      { object: "fs/proc/meminfo.o", kind: "new", function: "helper" },
    ]);
  });

  it("treats Version disagreement as a warning, not an error", () => {
    const line = "ERROR: Version disagreement for symbol foo";
    expect(isWarningLine(line)).toBe(true);
    const out = parseKpatchOutput(`${line}\nSUCCESS\n`);
    expect(out.warnings).toEqual([line]);
    expect(out.errors).toEqual([]);
  });

  it("does not take a function line with trailing text for a change", () => {
    expect(parseKpatchOutput("x.o: changed function: a b\n").changes).toEqual([]);
  });
});
