/**
 * Where the source-aware lint says a key or a patched file is built, on
 * small trees laid out like the kernel's: parent directories that kbuild
 * never enters, unity builds (`#include "clock.c"`), Kbuild files, and
 * objects compiled without fentry calls.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { gatherSourceFacts } from "../../../../src/builder/lint/lint-source.js";
import { execaRunner } from "../../../../src/builder/runtime/runner.js";
import { dirSourceTree } from "../../../../src/builder/lint/source-tree.js";

function treeOf(files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), "lpctl-kbuild-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return dirSourceTree(root, execaRunner);
}

/** A one-line change to `file` (which says `int x;`) that uses `use`. */
const patchOf = (file: string, use: string) =>
  `--- a/${file}\n+++ b/${file}\n@@ -1,1 +1,2 @@\n int x;\n+${use}\n`;

const CONFIG = ".config";

describe("source facts from kbuild files", () => {
  it("a key in a directory its parent builds only with an unset option is not built", async () => {
    const tree = treeOf({
      [CONFIG]: "CONFIG_ON=y\n",
      "drv/Makefile": "obj-$(CONFIG_OFF) += sub/\nobj-y += main.o\n",
      "drv/sub/Makefile": "obj-y += keys.o\n",
      "drv/sub/keys.c": "DEFINE_STATIC_KEY_FALSE(sub_key);\n",
      "drv/main.c": "int x;\n",
    });
    const [facts] = await gatherSourceFacts(tree, [
      patchOf("drv/main.c", "static_branch_unlikely(&sub_key);"),
    ]);
    expect(facts.staticKeys.get("sub_key")).toEqual({ file: "drv/sub/keys.c", home: "not-built" });
    expect(facts.objects?.get("drv/main.c")).toBe("vmlinux");
  });

  it("a parent's Kbuild decides over its Makefile, and a module parent makes a module", async () => {
    const tree = treeOf({
      [CONFIG]: "CONFIG_ON=y\nCONFIG_MOD=m\n",
      "arch/Kbuild": "obj-$(CONFIG_MOD) += events/\n",
      "arch/Makefile": "obj-y += events/\n",
      "arch/events/Makefile": "obj-y += core.o\n",
      "arch/events/core.c": "DEFINE_STATIC_CALL_NULL(pmu_read, *pmu.read);\nint x;\n",
    });
    const [facts] = await gatherSourceFacts(tree, [
      patchOf("arch/events/core.c", "static_call(pmu_read)(e);"),
    ]);
    expect(facts.staticKeys.get("static_call:pmu_read")).toEqual({
      file: "arch/events/core.c",
      home: "module",
    });
  });

  it("a file another one #includes (a unity build) is built as that file is", async () => {
    const tree = treeOf({
      [CONFIG]: "CONFIG_ON=y\n",
      "kernel/sched/Makefile": "obj-y += build_utility.o\n",
      "kernel/sched/build_utility.c": '#include "sched.h"\n#include "clock.c"\n',
      "kernel/sched/clock.c": "static DEFINE_STATIC_KEY_FALSE(clock_running);\nint x;\n",
      "kernel/sched/idle.c": "int x;\n",
    });
    const [facts] = await gatherSourceFacts(tree, [
      patchOf("kernel/sched/clock.c", "static_branch_likely(&clock_running);"),
    ]);
    expect(facts.staticKeys.get("clock_running")?.home).toBe("vmlinux");
    expect(facts.objects?.get("kernel/sched/clock.c")).toBe("vmlinux");
    const [idle] = await gatherSourceFacts(tree, [patchOf("kernel/sched/idle.c", "x++;")]);
    expect(idle.objects?.get("kernel/sched/idle.c")).toBe("not-built");
  });

  it("a built tree's System.map overrules a definition an #ifdef compiled out", async () => {
    const tree = treeOf({
      [CONFIG]: "CONFIG_ON=y\n",
      "System.map": "ffffffff81000000 T other\nffffffff81000010 D __SCK__kept\n",
      "k/Makefile": "obj-y += a.o\n",
      "k/a.c": "DEFINE_STATIC_CALL(gone, f);\nDEFINE_STATIC_CALL(kept, f);\nint x;\n",
    });
    const [kept] = await gatherSourceFacts(tree, [patchOf("k/a.c", "static_call(kept)();")]);
    expect(kept.staticKeys.get("static_call:kept")).toEqual({ file: "k/a.c", home: "vmlinux" });
    const [gone] = await gatherSourceFacts(tree, [patchOf("k/a.c", "static_call(gone)();")]);
    expect(gone.staticKeys.get("static_call:gone")).toEqual({ file: "k/a.c", home: "not-built" });
  });

  it("records objects built without fentry calls and the target's CONFIG_MODVERSIONS", async () => {
    const tree = treeOf({
      [CONFIG]: "CONFIG_FUNCTION_TRACER=y\nCONFIG_MODVERSIONS=y\n",
      "kernel/Makefile":
        "CFLAGS_REMOVE_irq_work.o = $(CC_FLAGS_FTRACE)\nobj-y += irq_work.o fork.o\n",
      "kernel/irq_work.c": "int x;\n",
      "kernel/fork.c": "int x;\n",
    });
    const [facts] = await gatherSourceFacts(tree, [
      patchOf("kernel/irq_work.c", "x++;") + patchOf("kernel/fork.c", "x++;"),
    ]);
    expect([...(facts.untraced ?? new Map())]).toEqual([
      ["kernel/irq_work.c", "kernel/Makefile: CFLAGS_REMOVE_irq_work.o = $(CC_FLAGS_FTRACE)"],
    ]);
    expect(facts.modversions).toBe(true);
  });

  it("searches one directory's .c files only; an empty, missing or outside one finds nothing", async () => {
    const tree = treeOf({
      "a/x.c": '#include "y.c"\n',
      "a/sub/z.c": '#include "y.c"\n',
      "b/README": "none\n",
    });
    const pattern = '#include[[:space:]]+"y\\.c"';
    expect((await tree.grep(pattern, "a/")).map((m) => m.path)).toEqual(["a/x.c"]);
    expect(await tree.grep(pattern, "b/")).toEqual([]);
    expect(await tree.grep(pattern, "missing/")).toEqual([]);
    expect(await tree.grep(pattern, "../")).toEqual([]);
  });
});
