import { describe, expect, it } from "vitest";
import { lintPatch } from "../../../../src/core/lint/lint.js";

/** A one-file, one-hunk patch at old line `at`; `body` lines keep their prefixes. */
function patch(file: string, at: number, body: string[]): string {
  const old = body.filter((l) => !l.startsWith("+")).length;
  const added = body.filter((l) => !l.startsWith("-")).length;
  return [
    `--- a/${file}`,
    `+++ b/${file}`,
    `@@ -${at},${old} +${at},${added} @@`,
    ...body,
    "",
  ].join("\n");
}

const brief = (text: string) =>
  lintPatch("t.patch", text).map((f) => `${f.startLine}-${f.endLine} ${f.severity} ${f.rule}`);

const TAIL = [" \treturn 0;", " }", " fs_initcall(proc_cmdline_init);"];

describe("init-code: newly added init code", () => {
  it("refuses a new __init function and the initcall that registers it", () => {
    const text = patch("fs/proc/cmdline.c", 17, [
      ...TAIL,
      "+",
      "+static int __init",
      "+proc_cmdline_check(void)",
      "+{",
      '+\tpr_warn("proc: empty kernel command line\\n");',
      "+\treturn 0;",
      "+}",
      "+late_initcall(proc_cmdline_check);",
    ]);
    const fs = lintPatch("t", text);
    expect(fs.map((f) => `${f.startLine}-${f.endLine} ${f.severity} ${f.rule}`)).toEqual([
      "24-27 error init-code",
    ]);
    expect(fs[0].message).toContain("proc_cmdline_check() is a new __init/__exit function");
    expect(fs[0].message).toContain("KPATCH_PRE_PATCH_CALLBACK");
  });

  it("warns for a new initcall of an existing function, refuses a new __setup", () => {
    const exit = lintPatch(
      "t",
      patch("fs/proc/cmdline.c", 17, [...TAIL, "+module_exit(proc_cmdline_init);"]),
    );
    expect(exit.map((f) => `${f.startLine} ${f.severity} ${f.rule}`)).toEqual([
      "20 warning init-code",
    ]);
    expect(exit[0].message).toContain("a new initcall runs only at boot or module load");
    const setup = patch("fs/proc/cmdline.c", 17, [...TAIL, '+__setup("lp=", proc_cmdline_init);']);
    expect(brief(setup)).toEqual(["20-20 error init-code"]);
  });

  it("passes a new ordinary function and a moved initcall (near misses)", () => {
    const plain = patch("fs/proc/cmdline.c", 17, [
      ...TAIL,
      "+static int proc_cmdline_len(void)",
      "+{",
      "+\treturn strlen(saved_command_line);",
      "+}",
    ]);
    expect(brief(plain)).toEqual([]);
    const moved = patch("fs/proc/cmdline.c", 17, [
      " \treturn 0;",
      " }",
      "-fs_initcall(proc_cmdline_init);",
      "+",
      "+fs_initcall(proc_cmdline_init);",
    ]);
    // Only the blank line is new: nothing but whitespace changed.
    expect(brief(moved)).toEqual(["19-20 warning no-functional-change"]);
  });
});
