import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runKpatchBuild } from "../../../../src/builder/kpatch/kpatch-run.js";
import { fakeRunner } from "../helpers/fake-runner.js";

describe("runKpatchBuild", () => {
  it("passes the pristine vmlinux, a per-target CACHEDIR and keeps the whole output", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lpctl-kp-"));
    const runner = fakeRunner({
      "/tools/kpatch-build": (_args, opts) => {
        opts?.onLine?.("Using source directory at /c/tree", "stdout");
        opts?.onLine?.("ERROR: Version disagreement for symbol x", "stderr");
        opts?.onLine?.("SUCCESS", "stdout");
        return { exitCode: 0 };
      },
    });
    const seen: string[] = [];
    const r = await runKpatchBuild(runner, {
      kpatchBuild: "/tools/kpatch-build",
      tree: "/c/tree",
      pristineVmlinux: "/c/pristine/vmlinux",
      config: "/c/tree/.config",
      jobs: 2,
      name: "lp_t_1",
      outDir: "/out",
      patchFiles: ["/s/001-a.patch", "/s/002-b.patch"],
      cacheDir: "/cache/kpatch/t-0123",
      logFile: join(dir, "build.log"),
      onLine: (l) => seen.push(l),
    });
    const call = runner.calls[0];
    expect(call?.args).toEqual([
      "-s",
      "/c/tree",
      "-c",
      "/c/tree/.config",
      "-v",
      "/c/pristine/vmlinux",
      "-j",
      "2",
      "-n",
      "lp_t_1",
      "-o",
      "/out",
      "/s/001-a.patch",
      "/s/002-b.patch",
    ]);
    expect(call?.opts?.env).toMatchObject({
      CACHEDIR: "/cache/kpatch/t-0123",
      KBUILD_BUILD_USER: "lpctl",
    });
    expect(r.exitCode).toBe(0);
    expect(seen).toHaveLength(3);
    expect(readFileSync(join(dir, "build.log"), "utf8")).toBe(
      "Using source directory at /c/tree\nERROR: Version disagreement for symbol x\nSUCCESS\n",
    );
  });

  it("a build log it cannot write is a coded error naming it, not a crash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lpctl-kp-"));
    const runner = fakeRunner({ "/tools/kpatch-build": () => ({ exitCode: 0 }) });
    const logFile = join(dir, "no-such-dir", "build.log");
    await expect(
      runKpatchBuild(runner, {
        kpatchBuild: "/tools/kpatch-build",
        tree: "/c/tree",
        pristineVmlinux: "/c/pristine/vmlinux",
        config: "/c/tree/.config",
        jobs: 1,
        name: "lp_t_1",
        outDir: "/out",
        patchFiles: [],
        cacheDir: "/cache",
        logFile,
      }),
    ).rejects.toMatchObject({
      code: "FILE_MISSING",
      message: `cannot write the build log ${logFile}: no such file or directory; check the path`,
    });
  });
});
