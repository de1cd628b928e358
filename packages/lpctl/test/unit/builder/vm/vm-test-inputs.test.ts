import { describe, expect, it } from "vitest";
import type { LivePatch } from "../../../../src/core/patch-meta.js";
import { formatVmReport } from "../../../../src/builder/vm/format.js";
import { checksFromPatches, flagCheck } from "../../../../src/builder/vm/vm-test-inputs.js";
import type { VmTestReport } from "../../../../src/builder/vm/vm-test.js";
import { runCli } from "../../../../src/cli/run.js";

const patch = (id: string, test?: { command: string; expect: string }): LivePatch => ({
  id,
  title: id,
  description: id,
  cves: [],
  notLivePatchable: [],
  kernels: ["lab"],
  targets: ["lab"],
  files: [],
  ...(test !== undefined && { test }),
});

describe("vm-test inputs", () => {
  it("takes one check per patch that has a test: section", () => {
    const checks = checksFromPatches([
      patch("a", { command: "cat /proc/cmdline", expect: "livepatched" }),
      patch("b"),
      patch("c", { command: "cat /proc/version", expect: "(livepatched)" }),
    ]);
    expect(checks).toEqual([
      { command: "cat /proc/cmdline", expect: "livepatched" },
      { command: "cat /proc/version", expect: "(livepatched)" },
    ]);
  });

  it("requires --expect-command and --expect together", () => {
    expect(flagCheck(undefined, undefined)).toBeUndefined();
    expect(flagCheck("cat /proc/cmdline", "x")).toEqual({
      command: "cat /proc/cmdline",
      expect: "x",
    });
    expect(() => flagCheck("cat /proc/cmdline", undefined)).toThrow(/together/);
    expect(() => flagCheck(undefined, "x")).toThrow(/together/);
  });

  it("the CLI refuses half a check and a bad timeout before booting anything", async () => {
    const err: string[] = [];
    const o = { out: () => {}, err: (l: string) => err.push(l) };
    const base = [
      "vm-test",
      "--target",
      "lab",
      "--module",
      "/nonexistent.ko",
      "--bzimage",
      "/nonexistent",
    ];
    expect(await runCli([...base, "--expect", "x"], o)).toBe(64);
    expect(await runCli([...base, "--timeout", "0"], o)).toBe(64);
    expect(err.join("\n")).toMatch(/--expect-command and --expect must be given together/);
    expect(err.join("\n")).toMatch(/--timeout must be a positive integer/);
  });
});

describe("formatVmReport", () => {
  it("prints one line per step with its time, then the verdict", () => {
    const r: VmTestReport = {
      ok: false,
      failedStep: "insmod",
      moduleName: "lp_x",
      checks: [],
      steps: [
        { name: "boot", status: "ok", detail: "6.1.192", atMs: 9410 },
        { name: "insmod", status: "fail", detail: "invalid module format", atMs: 9620 },
        { name: "rmmod", status: "not-run", detail: "an earlier step failed" },
      ],
      outcome: "completed",
      accel: "tcg",
      packMs: 300,
      vmMs: 9800,
      initramfsBytes: 1_056_103,
      consoleTail: "",
    };
    expect(formatVmReport(r)).toEqual([
      "   9.4s  ok       boot          6.1.192",
      "   9.6s  fail     insmod        invalid module format",
      "      -  not-run  rmmod         an earlier step failed",
      "FAIL at insmod: lp_x, 0 check(s), tcg, initramfs 1.1 MB packed in 0.3 s, VM 9.8 s",
    ]);
  });
});
