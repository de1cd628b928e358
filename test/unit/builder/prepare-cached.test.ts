import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kernelDirName, kernelKey } from "../../../src/builder/cache-key.js";
import { prepareKernel } from "../../../src/builder/prepare.js";
import { writePrepared } from "../../../src/builder/prepared-record.js";
import type { KernelTarget } from "../../../src/core/target.js";
import { fakeRunner } from "./helpers/fake-runner.js";

const gccId = "gcc (Debian 12.2.0-14+deb12u1) 12.2.0";
const target: KernelTarget = {
  id: "lab",
  release: "6.1.192",
  arch: "x86_64",
  source: { debian: { package: "linux-source-6.1", version: "6.1.192-2" } },
  config: { base: "tinyconfig", fragment: "config.fragment" },
  toolchain: gccId,
  configText: "CONFIG_LIVEPATCH=y\n",
};
const clock = { now: () => 0, date: () => new Date(0) };

function runner(installed = "6.1.192-2", gcc = gccId) {
  return fakeRunner({
    gcc: () => ({ stdout: `${gcc}\n` }),
    "dpkg-query": () => ({ stdout: installed }),
  });
}

describe("prepareKernel with a cache hit", () => {
  it("reuses prepared.json and runs no make, tar or readelf", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "lpctl-prep-"));
    const key = kernelKey({
      targetId: "lab",
      source: "debian:linux-source-6.1=6.1.192-2",
      configBase: "tinyconfig",
      configText: target.configText ?? "",
      toolchain: gccId,
      arch: "x86_64",
    });
    const dir = join(cacheDir, "kernels", kernelDirName("lab", key));
    mkdirSync(dir, { recursive: true });
    await writePrepared(dir, {
      schema: 1,
      target: "lab",
      key,
      source: "debian:linux-source-6.1=6.1.192-2",
      release: "6.1.192",
      arch: "x86_64",
      buildId: "ab12",
      compiler: gccId,
      timings: {},
      preparedAt: new Date(0).toISOString(),
    });
    const r = runner();
    const lines: string[] = [];
    const p = await prepareKernel(target, {
      runner: r,
      clock,
      print: (l) => lines.push(l),
      cacheDir,
      repoDir: ".",
    });
    expect(p.cached).toBe(true);
    expect(p.buildId).toBe("ab12");
    expect(p.tree).toBe(join(dir, "tree"));
    expect(r.calls.map((c) => c.cmd)).toEqual(["gcc", "dpkg-query"]);
    expect(lines.join("\n")).toContain("cached");
  });

  it("checks the toolchain pin before anything else", async () => {
    const r = runner("6.1.192-2", "gcc (Debian 13.1.0-1) 13.1.0");
    await expect(
      prepareKernel(target, {
        runner: r,
        clock,
        print: () => {},
        cacheDir: "/nonexistent",
        repoDir: ".",
      }),
    ).rejects.toMatchObject({ code: "TOOLCHAIN_MISMATCH" });
    expect(r.calls.map((c) => c.cmd)).toEqual(["gcc"]);
  });

  it("refuses a source package version other than the pinned one", async () => {
    const r = runner("6.1.200-1");
    await expect(
      prepareKernel(target, {
        runner: r,
        clock,
        print: () => {},
        cacheDir: "/nonexistent",
        repoDir: ".",
      }),
    ).rejects.toThrow(/6\.1\.192-2 but 6\.1\.200-1 is installed/);
  });
});
