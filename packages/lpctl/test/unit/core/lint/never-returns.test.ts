import { describe, expect, it } from "vitest";
import { lintPatch } from "../../../../src/core/lint/lint.js";
import { endlessLoop } from "../../../../src/core/lint/rules/never-returns.js";

/** A one-file, one-hunk patch at old line `at`; `body` lines keep their ' ', '+', '-' prefixes. */
function patch(file: string, at: number, body: string[], section = ""): string {
  const old = body.filter((l) => !l.startsWith("+")).length;
  const added = body.filter((l) => !l.startsWith("-")).length;
  const header = `@@ -${at},${old} +${at},${added} @@${section === "" ? "" : ` ${section}`}`;
  return [`--- a/${file}`, `+++ b/${file}`, header, ...body, ""].join("\n");
}

function rules(text: string) {
  return lintPatch("t.patch", text).map(
    (f) => `${f.startLine}-${f.endLine} ${f.severity} ${f.rule}`,
  );
}

/** A kthread body whose loop is `head`, with `exit` inside it, and one changed line. */
function thread(head: string, exit: string[]): string[] {
  return [
    " static int lp_thread(void *data)",
    " {",
    `\t${head} {`.replace(/^/, " "),
    "-\t\tdo_work(data, 1);",
    "+\t\tdo_work(data, 2);",
    ...exit.map((l) => ` ${l}`),
    " \t\tschedule_timeout_interruptible(HZ);",
    " \t}",
    " \treturn 0;",
    " }",
  ];
}

describe("never-returns", () => {
  it("reads the loop: an unconditional sleeping loop left only when the thread stops", () => {
    for (const head of ["for (;;)", "for ( ; ; )", "while (1)", "while (true)"]) {
      const text = patch("kernel/lp.c", 1, thread(head, []));
      expect(rules(text)).toEqual(["4-4 error never-returns"]);
    }
    const stop = thread("for (;;)", ["\t\tif (kthread_should_stop())", "\t\t\tbreak;"]);
    expect(rules(patch("kernel/lp.c", 1, stop))).toEqual(["4-4 error never-returns"]);
    const whileStop = thread("while (!kthread_should_stop())", []);
    const [f] = lintPatch("t", patch("kernel/lp.c", 1, whileStop));
    expect(f.message).toContain(
      "lp_thread() runs an unconditional `while (!kthread_should_stop())` loop",
    );
    expect(f.message).toContain("patch the functions its loop calls instead");
  });

  it("passes a wait loop that returns to its caller (near miss)", () => {
    const wait = thread("for (;;)", ["\t\tif (READ_ONCE(done))", "\t\t\tbreak;"]);
    expect(rules(patch("kernel/lp.c", 1, wait))).toEqual([]);
    const ret = thread("while (1)", ["\t\tif (signal_pending(current))", "\t\t\treturn -EINTR;"]);
    expect(rules(patch("kernel/lp.c", 1, ret))).toEqual([]);
  });

  it("does not count a break out of an inner loop or a goto to a label inside the loop", () => {
    expect(
      endlessLoop(
        "for (;;) {\n\twhile (x) {\n\t\tbreak;\n\t}\nagain:\n\tif (y)\n\t\tgoto again;\n\tschedule();\n}",
      ),
    ).toBe("for (;;)");
    expect(endlessLoop("for (;;) {\n\tif (y)\n\t\tgoto out;\n\tschedule();\n}\nout:")).toBe(
      undefined,
    );
  });

  it("needs the loop to sleep and its end to be visible", () => {
    expect(endlessLoop("for (;;) {\n\tcpu_relax();\n}")).toBe(undefined);
    expect(endlessLoop("for (;;) {\n\tschedule();")).toBe(undefined);
  });

  it("knows the entry points some task always runs, from the diff alone", () => {
    const text = patch(
      "kernel/kthread.c",
      745,
      [
        " \t\t\tlist_del_init(&create->list);",
        " \t\t\tspin_unlock(&kthread_create_lock);",
        " ",
        "+\t\t\tcond_resched();",
        " \t\t\tcreate_kthread(create);",
        " ",
        " \t\t\tspin_lock(&kthread_create_lock);",
      ],
      "int kthreadd(void *unused)",
    );
    const [f] = lintPatch("t", text);
    expect([f.rule, f.severity, f.startLine]).toEqual(["never-returns", "error", 748]);
    expect(f.message).toContain("kthreadd() is where a kernel thread or the idle loop lives");
  });

  it("says nothing about a plain function or a loop whose end the diff does not show", () => {
    const body = [" static int f(void)", " {", "-\treturn 0;", "+\treturn 1;", " }"];
    expect(rules(patch("kernel/lp.c", 1, body))).toEqual([]);
    const cut = patch("kernel/lp.c", 1, [
      " static int lp_thread(void *data)",
      " {",
      " \tfor (;;) {",
      "-\t\tdo_work(data, 1);",
      "+\t\tdo_work(data, 2);",
    ]);
    expect(rules(cut)).toEqual([]);
  });
});
