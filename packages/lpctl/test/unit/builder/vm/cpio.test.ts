import { mkdtemp, readFile, readlink, stat, writeFile, mkdir, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cpioHeader } from "../../../../src/builder/vm/cpio.js";
import {
  buildInitramfs,
  resolveEntries,
  type InitramfsFile,
} from "../../../../src/builder/vm/initramfs.js";

const tmp = () => mkdtemp(join(tmpdir(), "lpctl-cpio-"));

async function sampleFiles(dir: string): Promise<InitramfsFile[]> {
  const host = join(dir, "host.bin");
  // 3 bytes short of a multiple of 4 and larger than one stream chunk (64 KiB).
  await writeFile(host, Buffer.alloc(200_001, 7));
  const tree = join(dir, "tree");
  await mkdir(join(tree, "sub"), { recursive: true });
  await writeFile(join(tree, "sub", "a.txt"), "in a tree\n", { mode: 0o640 });
  await symlink("sub/a.txt", join(tree, "link"));
  return [
    { path: "/bin/tool", source: host, mode: 0o755 },
    { path: "/etc/motd", content: "hello é\n" },
    { path: "/etc/empty", content: "" },
    { path: "/bin/sh", symlink: "tool" },
    { path: "/deep/er/dir", dir: true, mode: 0o700 },
    { path: "/srv/mirror", tree },
    { path: "/etc/motd", content: "later wins\n" },
  ];
}

describe("newc initramfs writer", () => {
  it("round-trips through the real cpio -idm", async () => {
    const dir = await tmp();
    const out = await buildInitramfs(await sampleFiles(dir), join(dir, "initramfs.gz"));
    const raw = join(dir, "initramfs.cpio");
    await writeFile(raw, gunzipSync(await readFile(out.path)));
    const root = join(dir, "root");
    await mkdir(root);
    await execa("cpio", ["-idm", "--quiet"], { cwd: root, inputFile: raw });

    expect(await readFile(join(root, "bin/tool"))).toEqual(Buffer.alloc(200_001, 7));
    expect((await stat(join(root, "bin/tool"))).mode & 0o777).toBe(0o755);
    expect(await readFile(join(root, "etc/motd"), "utf8")).toBe("later wins\n");
    expect((await stat(join(root, "etc/empty"))).size).toBe(0);
    expect(await readlink(join(root, "bin/sh"))).toBe("tool");
    expect((await stat(join(root, "deep/er/dir"))).mode & 0o777).toBe(0o700);
    expect(await readFile(join(root, "srv/mirror/sub/a.txt"), "utf8")).toBe("in a tree\n");
    expect((await stat(join(root, "srv/mirror/sub/a.txt"))).mode & 0o777).toBe(0o640);
    expect(await readlink(join(root, "srv/mirror/link"))).toBe("sub/a.txt");
    // Fixed mtimes: reproducible archives.
    expect((await stat(join(root, "etc/motd"))).mtimeMs).toBe(0);

    const { stdout } = await execa("cpio", ["-t", "--quiet"], { inputFile: raw });
    const names = stdout.split("\n");
    // Parents are listed (the kernel does not create them) and come first.
    expect(names.indexOf("deep")).toBeLessThan(names.indexOf("deep/er"));
    expect(names.indexOf("srv/mirror")).toBeLessThan(names.indexOf("srv/mirror/sub/a.txt"));
  });

  it("produces byte-identical archives from the same inputs", async () => {
    const dir = await tmp();
    const files = await sampleFiles(dir);
    const a = await buildInitramfs(files, join(dir, "a.gz"));
    const b = await buildInitramfs(files, join(dir, "b.gz"));
    expect(await readFile(a.path)).toEqual(await readFile(b.path));
  });

  it("writes device nodes with their rdev numbers", () => {
    const h = cpioHeader("dev/console", {
      ino: 9,
      mode: 0o020600,
      nlink: 1,
      size: 0,
      rdevMajor: 5,
      rdevMinor: 1,
    });
    const ascii = h.toString("ascii");
    expect(ascii.slice(0, 6)).toBe("070701");
    expect(ascii.slice(6 + 8 * 9, 6 + 8 * 11)).toBe("0000000500000001");
    expect(ascii.slice(110, 121)).toBe("dev/console");
    expect(h.length % 4).toBe(0);
  });

  it("refuses names that escape the root", async () => {
    await expect(resolveEntries([{ path: "/../etc/x", content: "" }])).rejects.toThrow(
      /bad initramfs path/,
    );
    await expect(resolveEntries([{ path: "/../etc/x", content: "" }])).rejects.toMatchObject({
      code: "VM_INPUT_INVALID",
    });
  });

  it("a missing source file (vm-test --module) is FILE_MISSING naming it", async () => {
    const missing = "/nonexistent/lpctl/module.ko";
    await expect(
      resolveEntries([{ path: "/lp/module.ko", source: missing }]),
    ).rejects.toMatchObject({
      code: "FILE_MISSING",
      message: `cannot read ${missing} for the VM's /lp/module.ko: no such file or directory; check the path`,
    });
  });
});
