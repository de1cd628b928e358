import { describe, expect, it } from "vitest";
import { lintPatch } from "../../../../src/core/lint/lint.js";

/** One file with one hunk per entry of `hunks` (each: old line and body with prefixes). */
function patch(file: string, hunks: [at: number, body: string[]][]): string {
  const out = [`--- a/${file}`, `+++ b/${file}`];
  for (const [at, body] of hunks) {
    const old = body.filter((l) => !l.startsWith("+")).length;
    const added = body.filter((l) => !l.startsWith("-")).length;
    out.push(`@@ -${at},${old} +${at},${added} @@`, ...body);
  }
  return [...out, ""].join("\n");
}

const rules = (text: string) => lintPatch("t.patch", text).map((f) => `${f.severity} ${f.rule}`);

const COMMENT = [
  " static int cmdline_proc_show(struct seq_file *m, void *v)",
  " {",
  "-\tseq_puts(m, saved_command_line);",
  "+\tseq_puts(m,  saved_command_line);\t/* as the boot loader passed it */",
  " \tseq_putc(m, '\\n');",
];

describe("no-functional-change", () => {
  it("warns once when every hunk only changes comments or whitespace", () => {
    const block = [
      " #include <linux/init.h>",
      "+/*",
      "+ * cmdline",
      "+ */",
      " #include <linux/proc_fs.h>",
    ];
    const fs = lintPatch(
      "t",
      patch("fs/proc/cmdline.c", [
        [3, block],
        [7, COMMENT],
      ]),
    );
    expect(fs.map((f) => [f.rule, f.severity, f.startLine, f.endLine])).toEqual([
      ["no-functional-change", "warning", 4, 6],
    ]);
    expect(fs[0].message).toContain("no functional changes found");
  });

  it("passes a comment change next to a real change (near miss)", () => {
    const real = [
      " \tseq_puts(m, saved_command_line);",
      "-\tseq_putc(m, '\\n');",
      "+\tseq_putc(m, ' ');",
    ];
    expect(
      rules(
        patch("fs/proc/cmdline.c", [
          [7, COMMENT],
          [20, real],
        ]),
      ),
    ).toEqual([]);
  });

  it("counts a changed string or joined directives as a change, a comment on a #define not", () => {
    const str = [" {", '-\tpr_info("a b\\n");', '+\tpr_info("a  b\\n");', " }"];
    expect(rules(patch("fs/proc/cmdline.c", [[7, str]]))).toEqual([]);
    const pre = [
      " ",
      "-#define A 1",
      "-#define B 2",
      "+#define A 1 /* one */",
      "+#define B 2",
      " ",
    ];
    expect(rules(patch("fs/proc/cmdline.c", [[7, pre]]))).toEqual(["warning no-functional-change"]);
    const joined = [" ", "-#if A", "-#endif", "+#if A #endif", " "];
    expect(rules(patch("fs/proc/cmdline.c", [[7, joined]]))).toEqual([]);
  });

  it("leaves a patch that touches a non-C file to the path rules", () => {
    const text = [
      patch("fs/proc/cmdline.c", [[7, COMMENT]]),
      patch("fs/proc/Kconfig", [[1, [" config PROC_FS", "-\tdefault y", "+\tdefault  y"]]]),
    ].join("");
    expect(rules(text)).not.toContain("warning no-functional-change");
  });
});
