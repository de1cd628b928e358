import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changedObjects } from "../../../../src/builder/distro/object-map.js";
import { execaRunner } from "../../../../src/builder/runner.js";
import { dirSourceTree, type SourceTree } from "../../../../src/builder/source-tree.js";
import { isLpctlError } from "../../../../src/core/errors.js";

// A kbuild tree in miniature, Makefile lines as the kernel writes them.
const FILES: Record<string, string> = {
  ".config": "CONFIG_PROC_FS=y\nCONFIG_EXT4_FS=m\nCONFIG_SCHED=y\n",
  "fs/Makefile":
    "obj-$(CONFIG_PROC_FS) += proc/\nobj-$(CONFIG_EXT4_FS) += ext4/\nobj-$(CONFIG_NTFS_FS) += ntfs/\n",
  "fs/proc/Makefile": "obj-y += proc.o\nproc-y := cmdline.o version.o\n",
  "fs/proc/cmdline.c": "int a;\n",
  "fs/proc/version.c": "int b;\n",
  "fs/ext4/Makefile": "obj-$(CONFIG_EXT4_FS) += ext4.o\next4-y := super.o\n",
  "fs/ext4/super.c": "int c;\n",
  "fs/ntfs/Makefile": "obj-$(CONFIG_NTFS_FS) += ntfs.o\nntfs-y := super.o\n",
  "fs/ntfs/super.c": "int d;\n",
  "kernel/Makefile": "obj-y += sched/\n",
  "kernel/sched/Makefile": "obj-y += build_utility.o\n",
  "kernel/sched/build_utility.c": '#include "clock.c"\n',
  "kernel/sched/clock.c": "int e;\n",
  "include/linux/x.h": "int f;\n",
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

  it("refuses a header change, saying why and what to do instead", async () => {
    expect(await refusal("include/linux/x.h")).toMatch(/header changes are refused.*Way out/);
  });

  it("refuses a new file", async () => {
    expect(await refusal("fs/proc/new.c", "/dev/null")).toMatch(/adding or removing a file/);
  });
});
