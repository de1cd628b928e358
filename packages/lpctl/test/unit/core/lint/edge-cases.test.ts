import { describe, expect, it } from "vitest";
import { isLpctlError } from "../../../../src/core/errors.js";
import { lintPatch } from "../../../../src/core/lint/lint.js";

/** A one-file, one-hunk patch; `body` lines keep their ' ', '+', '-' prefixes. */
function patch(file: string, header: string, body: string[]): string {
  return [`--- a/${file}`, `+++ b/${file}`, header, ...body, ""].join("\n");
}

function lint(text: string) {
  return lintPatch("t.patch", text).map(
    (f) => `${f.startLine}-${f.endLine} ${f.severity} ${f.rule}`,
  );
}

const SHOW = [" static int cmdline_proc_show(struct seq_file *m, void *v)", " {"];

describe("lint edge cases", () => {
  it("accepts new functions, even inline ones, and new structs and variables", () => {
    const text = patch("fs/proc/cmdline.c", "@@ -4,6 +4,16 @@", [
      " #include <linux/proc_fs.h>",
      " #include <linux/seq_file.h>",
      " ",
      "+struct cmdline_filter {",
      "+\tint hidden;",
      "+};",
      "+static int cmdline_hidden_count = 1;",
      "+",
      "+static inline bool cmdline_hidden(void)",
      "+{",
      "+\treturn cmdline_hidden_count > 1;",
      "+}",
      "+",
      ...SHOW,
      " \tseq_puts(m, saved_command_line);",
    ]);
    expect(lint(text)).toEqual([]);
  });

  it("ignores re-indentation and local variable initializers", () => {
    const text = patch("fs/proc/cmdline.c", "@@ -7,5 +7,5 @@", [
      ...SHOW,
      "-\tint ret = 0;",
      "-    seq_puts(m, saved_command_line);",
      "+\tint ret = -EINVAL;",
      "+\tseq_puts(m, saved_command_line);",
      " \tseq_putc(m, '\\n');",
    ]);
    expect(lint(text)).toEqual([]);
  });

  it("refuses only the top-level lib/, as kpatch-build does; arch/x86/lib C files are vmlinux", () => {
    const body = [" static int f(void)", " {", "-\treturn 0;", "+\treturn 1;", " }"];
    expect(lint(patch("arch/x86/lib/usercopy.c", "@@ -1,4 +1,4 @@", body))).toEqual([]);
    expect(lint(patch("lib/usercopy.c", "@@ -1,4 +1,4 @@", body))).toEqual([
      "3-3 error unsupported-path",
    ]);
  });

  it("names the patch file when the text is not a diff", () => {
    expect.assertions(2);
    try {
      lintPatch("0001-broken.patch", "this is not a diff\n");
    } catch (e) {
      expect(isLpctlError(e, "PATCH_INVALID")).toBe(true);
      expect((e as Error).message).toMatch(/^0001-broken\.patch: /);
    }
  });

  it("warns about a module init function that is not __init", () => {
    const text = patch("drivers/char/foo.c", "@@ -10,6 +10,6 @@ static int foo_open(void)", [
      " static int foo_setup(void)",
      " {",
      "-\treturn misc_register(&foo_dev);",
      "+\treturn misc_register(&foo_dev) ?: 0;",
      " }",
      " module_init(foo_setup);",
      " ",
    ]);
    expect(lint(text)).toEqual(["12-12 warning init-code"]);
  });

  it("refuses a change to __initdata", () => {
    const text = patch("mm/foo.c", "@@ -20,3 +20,3 @@", [
      " ",
      "-static int foo_pages __initdata = 16;",
      "+static int foo_pages __initdata = 32;",
      " ",
    ]);
    expect(lint(text)).toEqual(["21-21 error init-code", "21-21 error static-initializer-change"]);
  });

  it("merges hits of one rule in one hunk into one finding spanning them", () => {
    const text = patch("fs/proc/cmdline.c", "@@ -7,5 +7,9 @@", [
      ...SHOW,
      "+\tif (!m)",
      '+\t\tpr_warn_once("no seq_file\\n");',
      "+\tif (!saved_command_line)",
      '+\t\tpr_err_once("no command line\\n");',
      " \tseq_puts(m, saved_command_line);",
      " \tseq_putc(m, '\\n');",
      " \treturn 0;",
    ]);
    expect(lint(text)).toEqual(["10-12 warning once-macro"]);
  });

  it("does not count an edited once macro as a new one", () => {
    const text = patch("fs/proc/cmdline.c", "@@ -7,4 +7,4 @@", [
      ...SHOW,
      '-\tpr_warn_once("empty\\n");',
      '+\tpr_warn_once("empty command line\\n");',
      " \treturn 0;",
    ]);
    expect(lint(text)).toEqual([]);
  });

  it("says when the context cannot show whether a function is inline", () => {
    const text = patch(
      "net/mac80211/tx.c",
      "@@ -478,7 +478,7 @@ ieee80211_tx_h_unicast_ps_buf(struct ieee80211_tx_data *tx)",
      [
        " \t\t       sta->sta.addr, sta->sta.aid, ac);",
        " \t\tif (tx->local->total_ps_buffered >= TOTAL_MAX_TX_BUFFER)",
        " \t\t\tpurge_old_ps_buffers(tx->local);",
        '-\t\tps_dbg(tx->sdata, "STA %pM\\n", sta->sta.addr);',
        '+\t\tps_dbg(tx->sdata, "STA %pM aid %d\\n", sta->sta.addr, sta->sta.aid);',
        " \t\tif (skb_queue_len(&sta->ps_tx_buf[ac]) >= STA_MAX_TX_BUFFER) {",
        " \t\t\tstruct sk_buff *old = skb_dequeue(&sta->ps_tx_buf[ac]);",
        " \t\t\tps_dbg(tx->sdata,",
      ],
    );
    const [f] = lintPatch("t.patch", text);
    expect(f).toMatchObject({
      rule: "inline-function-change",
      severity: "warning",
      startLine: 481,
    });
    expect(f.message).toContain("context does not show");
  });

  it("only warns about a static function's signature: its callers are in the patch", () => {
    const text = patch("fs/proc/cmdline.c", "@@ -7,3 +7,3 @@", [
      "-static int cmdline_proc_show(struct seq_file *m, void *v)",
      "+static int cmdline_proc_show(struct seq_file *m, const void *v)",
      " {",
      " \tseq_puts(m, saved_command_line);",
    ]);
    expect(lint(text)).toEqual(["7-7 warning signature-change"]);
  });

  it("accepts adding noinline: it does not change the signature", () => {
    const text = patch("fs/proc/cmdline.c", "@@ -7,3 +7,3 @@", [
      "-static int cmdline_proc_show(struct seq_file *m, void *v)",
      "+static noinline int cmdline_proc_show(struct seq_file *m, void *v)",
      " {",
      " \tseq_puts(m, saved_command_line);",
    ]);
    expect(lint(text)).toEqual([]);
  });

  it("warns about an enum change, refuses a union change, one finding per hunk", () => {
    const enumOnly = patch("kernel/foo.c", "@@ -3,3 +3,4 @@", [
      " enum foo_state {",
      " \tFOO_IDLE,",
      "+\tFOO_BUSY,",
      " };",
    ]);
    expect(lint(enumOnly)).toEqual(["5-5 warning data-structure-change"]);
    const both = patch("kernel/foo.c", "@@ -3,8 +3,10 @@", [
      " enum foo_state {",
      " \tFOO_IDLE,",
      "+\tFOO_BUSY,",
      " };",
      " ",
      " union foo_val {",
      " \tint i;",
      "+\tlong l;",
      " };",
      " ",
    ]);
    // The worst severity wins and the range spans both hits.
    expect(lint(both)).toEqual(["5-10 error data-structure-change"]);
  });

  it("accepts KPATCH_SYSCALL_DEFINEn, static_key_enabled() and a moved include", () => {
    const text = patch("kernel/sys.c", "@@ -1,8 +1,8 @@", [
      "-#include <linux/a.h>",
      " #include <linux/b.h>",
      "+#include <linux/a.h>",
      " ",
      " KPATCH_SYSCALL_DEFINE1(umask, int, mask)",
      " {",
      "-\tif (static_branch_unlikely(&umask_key))",
      "+\tif (static_key_enabled(&umask_key))",
      " \t\tmask &= S_IRWXU;",
      " \treturn mask;",
    ]);
    expect(lint(text)).toEqual([]);
  });

  it("warns when a changed function already contains a jump label", () => {
    const text = patch("mm/foo.c", "@@ -5,4 +5,4 @@", [
      " static void foo_charge(struct page *page)",
      " {",
      " \tif (static_branch_unlikely(&foo_enabled_key))",
      "-\t\tfoo_account(page, 1);",
      "+\t\tfoo_account(page, compound_nr(page));",
    ]);
    expect(lint(text)).toEqual(["7-7 warning jump-label-or-static-call"]);
  });

  it("says when the hunk header names only a goto label", () => {
    const text = patch("net/core/dev.c", "@@ -5469,4 +5469,5 @@ skip_classify:", [
      " \t\tcase RX_HANDLER_PASS:",
      " \t\t\tbreak;",
      " \t\tdefault:",
      '+\t\t\tprintk("BUG!\\n");',
      " \t\t\tBUG();",
    ]);
    const [f] = lintPatch("t.patch", text);
    expect(f).toMatchObject({ rule: "context-unknown", severity: "warning", startLine: 5472 });
    expect(f.message).toContain("names only the label 'skip_classify:'");
  });

  it("refuses a changed static local initializer", () => {
    const text = patch("kernel/foo.c", "@@ -5,4 +5,4 @@", [
      " static void foo_tick(void)",
      " {",
      "-\tstatic int limit = 5;",
      "+\tstatic int limit = 10;",
      " \tif (--limit == 0)",
    ]);
    expect(lint(text)).toEqual(["7-7 error static-initializer-change"]);
  });

  it("warns, not errs, when the static local stays declared but its visible use goes", () => {
    const text = patch("kernel/foo.c", "@@ -5,7 +5,6 @@", [
      " static void foo_tick(void)",
      " {",
      " \tstatic unsigned long last;",
      " ",
      "-\tlast = jiffies;",
      " \tfoo_do_tick();",
      " }",
    ]);
    expect(lint(text)).toEqual(["9-9 warning static-local-removed"]);
  });

  it("reports only function-removed when a whole __init function is deleted", () => {
    const text = patch("fs/proc/cmdline.c", "@@ -12,7 +12,2 @@", [
      " }",
      " ",
      "-static int __init proc_cmdline_init(void)",
      "-{",
      '-\tproc_create_single("cmdline", 0, NULL, cmdline_proc_show);',
      "-\treturn 0;",
      "-}",
    ]);
    expect(lint(text)).toEqual(["13-13 warning function-removed"]);
  });

  it("reads git's format and sorts findings by file and line", () => {
    const text = [
      "From 1234 Mon Sep 17 00:00:00 2001",
      "Subject: [PATCH] two files",
      "",
      "diff --git a/mm/vmscan.c b/mm/vmscan.c",
      "index 1111111..2222222 100644",
      ...patch("mm/vmscan.c", "@@ -192,1 +192,1 @@", [
        "-int vm_swappiness = 60;",
        "+int vm_swappiness = 30;",
      ])
        .split("\n")
        .slice(0, -1),
      "diff --git a/include/linux/swap.h b/include/linux/swap.h",
      "index 3333333..4444444 100644",
      ...patch("include/linux/swap.h", "@@ -10,1 +10,2 @@", [
        " #define SWAP_X 1",
        "+#define SWAP_Y 2",
      ]).split("\n"),
    ].join("\n");
    expect(lintPatch("t.patch", text).map((f) => `${f.file}:${f.startLine} ${f.rule}`)).toEqual([
      "include/linux/swap.h:11 header-change",
      "mm/vmscan.c:192 static-initializer-change",
    ]);
  });
});

describe("function names", () => {
  it("skips __attribute__((...)) when finding the defined function (kpatch's new-function test)", () => {
    const text = patch("drivers/tty/n_tty.c", "@@ -2315,4 +2315,4 @@ more_to_be_read:", [
      "-static ssize_t n_tty_write(struct tty_struct *tty, struct file *file,",
      "+static ssize_t noinline kpatch_n_tty_write(struct tty_struct *tty, struct file *file,",
      " \t\t\t   const unsigned char *buf, size_t nr)",
      " {",
      " \tconst unsigned char *b = buf;",
    ]).concat(
      [
        "@@ -2402,3 +2402,9 @@ break_out:",
        " \treturn (b - buf) ? b - buf : retval;",
        " }",
        " ",
        '+static ssize_t __attribute__((optimize("-fno-optimize-sibling-calls"))) n_tty_write(struct tty_struct *tty, struct file *file,',
        "+\t\t\t\t     const unsigned char *buf, size_t nr)",
        "+{",
        "+\treturn kpatch_n_tty_write(tty, file, buf, nr);",
        "+}",
        "+",
        "",
      ].join("\n"),
    );
    expect(lint(text)).toEqual([]);
  });
});
