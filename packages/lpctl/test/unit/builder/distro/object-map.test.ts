import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changedObjects, MAX_HEADER_OBJECTS } from "../../../../src/builder/distro/object-map.js";
import { execaRunner } from "../../../../src/builder/runtime/runner.js";
import { dirSourceTree, type SourceTree } from "../../../../src/builder/lint/source-tree.js";
import { isLpctlError } from "../../../../src/core/errors.js";

// A kbuild tree in miniature, Makefile lines as the kernel writes them.
const FILES: Record<string, string> = {
  ".config": "CONFIG_PROC_FS=y\nCONFIG_EXT4_FS=m\nCONFIG_SCHED=y\n",
  "fs/Makefile":
    "obj-$(CONFIG_PROC_FS) += proc/\nobj-$(CONFIG_EXT4_FS) += ext4/\nobj-$(CONFIG_NTFS_FS) += ntfs/\n",
  "fs/proc/Makefile": "obj-y += proc.o\nproc-y := cmdline.o version.o\n",
  "fs/proc/cmdline.c": '#include <linux/wrap.h>\n#include "internal.h"\nint a;\n',
  "fs/proc/version.c": "#  include <linux/pr.h>\nint b;\n",
  "fs/proc/internal.h": "int g;\n",
  "fs/ext4/Makefile": "obj-$(CONFIG_EXT4_FS) += ext4.o\next4-y := super.o\n",
  "fs/ext4/super.c": "#include <linux/x.h>\nint c;\n",
  "fs/ntfs/Makefile": "obj-$(CONFIG_NTFS_FS) += ntfs.o\nntfs-y := super.o\n",
  "fs/ntfs/super.c": "#include <linux/pr.h>\nint d;\n",
  "kernel/Makefile": "obj-y += sched/\n",
  "kernel/sched/Makefile": "obj-y += build_utility.o\n",
  "kernel/sched/build_utility.c": '#include "clock.c"\n',
  "kernel/sched/clock.c": "#include <linux/wrap.h>\nint e;\n",
  "include/linux/x.h": "int f;\n",
  "include/linux/pr.h": "int h;\n",
  "include/linux/wrap.h": "#include <linux/pr.h>\n",
  "include/linux/orphan.h": "int i;\n",
  // Another architecture's and a tool's includers never count.
  "arch/arm64/kernel/a.c": "#include <linux/pr.h>\n",
  "arch/x86/Makefile": "obj-y += kernel/\n",
  "arch/x86/kernel/Makefile": "obj-y += b.o\n",
  "arch/x86/kernel/b.c": "#include <asm/pr.h>\n",
  "arch/x86/include/asm/pr.h": "#include <linux/wrap.h>\n",
  "tools/t.c": "#include <linux/pr.h>\n",
  // A header 51 built-in objects include: one more than MAX_HEADER_OBJECTS.
  "lib/many/Makefile": `obj-y += ${Array.from({ length: 51 }, (_, i) => `m${i}.o`).join(" ")}\n`,
  ...Object.fromEntries(
    Array.from({ length: 51 }, (_, i) => [`lib/many/m${i}.c`, "#include <linux/wide.h>\n"]),
  ),
  "include/linux/wide.h": "int j;\n",
  "lib/Makefile": "obj-y += many/\n",
};

const diff = (path: string, from = `a/${path}`) =>
  `--- ${from}\n+++ b/${path}\n@@ -1 +1 @@\n-int a;\n+int z;\n`;

let dir: string;
let tree: SourceTree;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lpctl-objmap-"));
  for (const [p, text] of Object.entries(FILES)) {
    await mkdir(dirname(join(dir, p)), { recursive: true });
    await writeFile(join(dir, p), text);
  }
  tree = dirSourceTree(dir, execaRunner);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(path: string, from?: string): Promise<string> {
  try {
    await changedObjects(tree, [{ patch: "p", text: diff(path, from) }], "debian-12-cloud-amd64");
  } catch (e) {
    if (isLpctlError(e, "PATCH_OBJECT_UNSUPPORTED")) return e.message;
    throw e;
  }
  throw new Error(`${path} was not refused`);
}

describe("which objects a patch changes (kbuild)", () => {
  it("maps .c files built into vmlinux to their objects, once each, sorted", async () => {
    const files = [
      { patch: "b", text: diff("fs/proc/version.c") },
      { patch: "a", text: diff("fs/proc/cmdline.c") + diff("fs/proc/version.c") },
    ];
    expect(await changedObjects(tree, files, "t")).toEqual([
      "fs/proc/cmdline.o",
      "fs/proc/version.o",
    ]);
  });

  it("maps a file of a unity build to the object that includes it", async () => {
    expect(
      await changedObjects(tree, [{ patch: "p", text: diff("kernel/sched/clock.c") }], "t"),
    ).toEqual(["kernel/sched/build_utility.o"]);
  });

  it("refuses a module object, naming the way out", async () => {
    expect(await refusal("fs/ext4/super.c")).toMatch(
      /patch p changes fs\/ext4\/super.c: .*builds it into a module.*vmlinux only.*Drop debian-12-cloud-amd64 from the patch's kernels:/,
    );
  });

  it("refuses an object the config does not build", async () => {
    expect(await refusal("fs/ntfs/super.c")).toMatch(/config does not build it/);
  });

  it("maps a header to every built-in object that includes it, through other headers, and says what it costs", async () => {
    const lines: string[] = [];
    const objects = await changedObjects(
      tree,
      [{ patch: "p", text: diff("include/linux/pr.h") }],
      "t",
      (l) => lines.push(l),
    );
    // Not fs/ntfs (not built), arch/arm64 or tools/.
    expect(objects).toEqual([
      "arch/x86/kernel/b.o",
      "fs/proc/cmdline.o",
      "fs/proc/version.o",
      "kernel/sched/build_utility.o",
    ]);
    expect(lines.join("\n")).toMatch(
      /^include\/linux\/pr\.h: included \(directly or through 2 other headers, \d+ grep passes, [\d.]+ s\) by 5 \.c files: 4 objects t builds into vmlinux, 0 into modules; compiling them before and after costs about 24 s$/,
    );
  });

  it("maps a directory's own header to the objects beside it that include it", async () => {
    expect(
      await changedObjects(tree, [{ patch: "p", text: diff("fs/proc/internal.h") }], "t"),
    ).toEqual(["fs/proc/cmdline.o"]);
  });

  it("refuses a header that reaches more than MAX_HEADER_OBJECTS objects: how many, which, and what to do", async () => {
    let err: unknown;
    await changedObjects(tree, [{ patch: "p", text: diff("include/linux/wide.h") }], "t").catch(
      (e: unknown) => (err = e),
    );
    expect(isLpctlError(err, "HEADER_CHANGE_TOO_WIDE")).toBe(true);
    expect(MAX_HEADER_OBJECTS).toBe(50);
    expect((err as Error).message).toMatch(
      /patch p changes include\/linux\/wide\.h, which reaches 51 objects t builds into vmlinux \(more than 50; about 306 s of compiling before any diff\), among them lib\/many\/m0\.o, lib\/many\/m1\.o, .*, …\. Way out: patch the functions .* instead of the header/,
    );
    expect((err as { details: unknown }).details).toMatchObject({
      objects: 51,
      estimatedSeconds: 306,
    });
  });

  it("refuses a header module objects include: those modules would keep the old code", async () => {
    expect(await refusal("include/linux/x.h")).toMatch(
      /include\/linux\/x\.h, which 1 objects debian-12-cloud-amd64 builds into modules include \(fs\/ext4\/super\.o\); .*vmlinux only/,
    );
  });

  it("refuses a header no built object includes", async () => {
    expect(await refusal("include/linux/orphan.h")).toMatch(
      /no object debian-12-cloud-amd64 builds includes/,
    );
  });

  it("refuses other files than C and headers", async () => {
    expect(await refusal("fs/proc/Makefile")).toMatch(/compiles C files/);
  });

  it("refuses a new file", async () => {
    expect(await refusal("fs/proc/new.c", "/dev/null")).toMatch(/adding or removing a file/);
  });
});
