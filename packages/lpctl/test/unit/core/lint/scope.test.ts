import { describe, expect, it } from "vitest";
import { parseDiff } from "../../../../src/core/diff.js";
import { classifyHeader, functionName } from "../../../../src/core/lint/header.js";
import { buildFileView } from "../../../../src/core/lint/view.js";

function scopes(body: string[], section = "") {
  const text = [
    "--- a/kernel/f.c",
    "+++ b/kernel/f.c",
    `@@ -1,99 +1,99 @@ ${section}`,
    ...body,
  ].join("\n");
  const old = body.filter((l) => !l.startsWith("+")).length;
  const neu = body.filter((l) => !l.startsWith("-")).length;
  const file = buildFileView(parseDiff(text.replace("-1,99 +1,99", `-1,${old} +1,${neu}`))[0]);
  const [h] = file.hunks;
  return h.changed.map((l) => {
    const s = h.scopeOf(l);
    if (s.kind === "function")
      return `${l.line.kind} function ${s.name} ${s.staticLocalInit ?? "-"}`;
    return `${l.line.kind} ${s.kind}${"name" in s ? ` ${s.name}` : ""}`;
  });
}

describe("enclosing scope", () => {
  it("tags lines inside a function-scope static initializer, and only those", () => {
    expect(
      scopes([
        " static void f(void)",
        " {",
        " \tstatic const int tbl[] = {",
        "-\t\t1,",
        "+\t\t2,",
        " \t};",
        "-\tx = 1;",
        "+\tx = 2;",
        " }",
      ]),
    ).toEqual(["del function f tbl", "add function f tbl", "del function f -", "add function f -"]);
  });

  it("steps out of nested blocks and loop macros to the function", () => {
    expect(
      scopes([
        " static ssize_t",
        " foo_read(struct file *file, char __user *buf,",
        " \t size_t count, loff_t *ppos)",
        " {",
        " \tlist_for_each_entry(pos, &head, list) {",
        " \t\tif (pos->id == id) {",
        "+\t\t\tbreak;",
        " \t\t}",
        " \t}",
      ]),
    ).toEqual(["add function foo_read -"]);
  });

  it("sees a top-level line after a closing brace, whatever the section says", () => {
    expect(
      scopes(
        [" \treturn 0;", " }", " ", "-static int foo_max = 4;", "+static int foo_max = 8;"],
        "static int foo_show(void)",
      ),
    ).toEqual(["del top-level", "add top-level"]);
  });

  it("falls back to the section, and to unknown without one", () => {
    expect(scopes([" \tint a;", "+\ta = 1;"], "struct foo {")).toEqual(["add type foo"]);
    expect(scopes([" \tint a;", "+\ta = 1;"])).toEqual(["add unknown"]);
    expect(scopes([" \tint a;", "+\ta = 1;"], "out:")).toEqual(["add unknown"]);
  });

  it("ignores braces in strings, chars and comments", () => {
    expect(
      scopes([
        " static void f(void)",
        " {",
        ' \tpr_info("}");',
        " \tc = '{'; /* } */",
        "+\tx = 1;",
      ]),
    ).toEqual(["add function f -"]);
  });
});

describe("headers", () => {
  it("classifies definitions", () => {
    expect(classifyHeader("struct kallsym_iter", true)).toEqual({
      kind: "type",
      keyword: "struct",
      name: "kallsym_iter",
    });
    expect(classifyHeader("static const struct proc_ops fops =", true)).toEqual({
      kind: "initializer",
      name: "fops",
    });
    expect(classifyHeader("if (a == b)", false)).toEqual({ kind: "block" });
    expect(classifyHeader("static int __init foo_init(void)", true)).toEqual({
      kind: "function",
      name: "foo_init",
    });
  });

  it("names syscalls by the macro and the syscall", () => {
    expect(
      functionName("SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)"),
    ).toBe("SYSCALL_DEFINE3(read)");
    expect(functionName("static __printf(2, 3) void foo_log(int lvl, const char *fmt, ...)")).toBe(
      "foo_log",
    );
  });
});
