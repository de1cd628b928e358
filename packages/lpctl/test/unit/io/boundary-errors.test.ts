import { execa } from "execa";
import { mkdir, mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hostRoot } from "../../../src/agent/host-root.js";
import { livepatchSysfs } from "../../../src/agent/livepatch-sysfs.js";
import { LpctlError } from "../../../src/core/errors.js";
import { fsStep, translateFsError } from "../../../src/io/fs-errors.js";
import { translateProcessError } from "../../../src/io/process-errors.js";

const tmp = () => mkdtemp(path.join(os.tmpdir(), "lpctl-boundary-"));

describe("file-system boundary", () => {
  it("names the action and the reason, and picks the code by errno", async () => {
    const dir = await tmp();
    await expect(
      fsStep("read the key /x", () => readFile(path.join(dir, "nope"))),
    ).rejects.toMatchObject({
      code: "FILE_MISSING",
      message: "cannot read the key /x: no such file or directory; check the path",
      details: { errno: "ENOENT" },
    });
    await expect(fsStep("read the key /x", () => readFile(dir))).rejects.toMatchObject({
      code: "IO_FAILED",
      message: "cannot read the key /x: it is a directory; pass a file",
    });
    await expect(
      fsStep("read it", () => readFile(dir), { code: "KEY_MISSING" }),
    ).rejects.toMatchObject({ code: "KEY_MISSING" });
  });

  it("leaves an LpctlError as it is", () => {
    const e = new LpctlError("DIGEST_MISMATCH", "m");
    expect(translateFsError(e, "x")).toBe(e);
  });
});

describe("sysfs boundary", () => {
  it("a sysfs write that fails is SYSFS_FAILED naming the patch, not a raw ENOENT", async () => {
    const sysfs = livepatchSysfs(hostRoot(await tmp()));
    await expect(sysfs.setEnabled("lp_gone", false)).rejects.toMatchObject({
      code: "SYSFS_FAILED",
    });
    await expect(sysfs.setEnabled("lp_gone", false)).rejects.toThrow(
      /^cannot disable live patch lp_gone \(.*\/enabled\): no such/,
    );
    // No signal file (Linux 6.1 has none; the kernel signals by itself): false, not an error.
    expect(await sysfs.signal("lp_gone")).toBe(false);
  });

  it("a signal write the kernel refuses is SYSFS_FAILED naming the patch", async () => {
    const root = await tmp();
    // A directory where the attribute should be: the write fails with EISDIR.
    await mkdir(path.join(root, "sys/kernel/livepatch/lp_x/signal"), { recursive: true });
    const sysfs = livepatchSysfs(hostRoot(root));
    await expect(sysfs.signal("lp_x")).rejects.toMatchObject({ code: "SYSFS_FAILED" });
    await expect(sysfs.signal("lp_x")).rejects.toThrow(/live patch lp_x/);
  });

  it("an unreadable state file is SYSFS_FAILED; a missing patch is just absent", async () => {
    const root = await tmp();
    await mkdir(path.join(root, "sys/kernel/livepatch/lp_x/enabled"), { recursive: true });
    const sysfs = livepatchSysfs(hostRoot(root));
    await expect(sysfs.patch("lp_x")).rejects.toMatchObject({ code: "SYSFS_FAILED" });
    expect(await sysfs.patch("lp_none")).toBeUndefined();
  });
});

describe("process boundary", () => {
  it("a missing program is TOOL_MISSING with the install advice", async () => {
    const e: unknown = await execa("/nonexistent/lpctl-tool", []).catch((x: unknown) => x);
    expect(translateProcessError(e, "lpctl-tool", "install it")).toMatchObject({
      code: "TOOL_MISSING",
      message: "cannot run 'lpctl-tool' (ENOENT); install it",
    });
  });

  it("a failing program is TOOL_FAILED with its exit code and stderr tail", async () => {
    const e: unknown = await execa(process.execPath, [
      "-e",
      "console.error('bad input'); process.exit(3)",
    ]).catch((x: unknown) => x);
    const t = translateProcessError(e, "node -e", "install node");
    expect(t.code).toBe("TOOL_FAILED");
    expect(t.message).toMatch(/^'node -e' failed \(exit 3\):\nbad input\n/);
  });
});
