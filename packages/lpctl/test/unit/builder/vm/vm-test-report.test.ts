import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { linesOf, parseMarkers } from "../../../../src/builder/vm/markers.js";
import { classifyBoot } from "../../../../src/builder/vm/outcome.js";
import {
  evaluateVmTest,
  vmTestError,
  type VmCheck,
} from "../../../../src/builder/vm/vm-test-report.js";

const check: VmCheck = { command: "cat /proc/cmdline", expect: "livepatched" };
const b64 = (s: string) => Buffer.from(s).toString("base64");

function facts(transcript: string, timedOut = false) {
  const markers = parseMarkers(linesOf(transcript));
  return {
    outcome: classifyBoot(transcript, markers, timedOut),
    markers,
    transcript,
    timeoutMs: 30_000,
  };
}
const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, "../../../fixtures/vm", name), "utf8");
const statuses = (steps: { name: string; status: string }[]) =>
  steps.map((s) => `${s.name}:${s.status}`);

const passing = [
  "@@LP step boot ok 6.1.192",
  `@@LP out before-t0 ${b64("quiet")}`,
  "@@LP step insmod ok ",
  "@@LP step transition ok 4 polls",
  "@@LP step enabled ok ",
  `@@LP out patched-t0 ${b64("quiet livepatched")}`,
  "@@LP step disable ok ",
  "@@LP step rmmod ok ",
  `@@LP out unloaded-t0 ${b64("quiet")}`,
  "@@LP end",
];

describe("evaluateVmTest", () => {
  it("passes when every step reported ok and the text shows only while patched", () => {
    const steps = evaluateVmTest(facts(passing.join("\n")), [check]);
    expect(steps.every((s) => s.status === "ok")).toBe(true);
    expect(vmTestError(steps, "")).toBeUndefined();
  });

  it("fails before-check when the expected text is there before loading", () => {
    const t = passing.map((l) =>
      l.includes("before-t0") ? `@@LP out before-t0 ${b64("livepatched")}` : l,
    );
    const steps = evaluateVmTest(facts(t.join("\n")), [check]);
    expect(steps.find((s) => s.status === "fail")?.name).toBe("before-check");
  });

  it("fails test when the patched output lacks the text, and after-unload when it stays", () => {
    const t = passing.map((l) =>
      l.includes("patched-t0")
        ? `@@LP out patched-t0 ${b64("quiet")}`
        : l.includes("unloaded-t0")
          ? `@@LP out unloaded-t0 ${b64("livepatched")}`
          : l,
    );
    const steps = evaluateVmTest(facts(t.join("\n")), [check]);
    expect(statuses(steps)).toContain("test:fail");
    expect(statuses(steps)).toContain("after-unload:fail");
    expect(vmTestError(steps, "tail")?.details).toMatchObject({ step: "test" });
  });

  it("marks test steps skipped without checks, and still passes", () => {
    const t = passing.filter((l) => !l.includes(" out "));
    const steps = evaluateVmTest(facts(t.join("\n")), []);
    expect(statuses(steps)).toEqual(
      expect.arrayContaining(["before-check:skipped", "test:skipped", "after-unload:skipped"]),
    );
    expect(vmTestError(steps, "")).toBeUndefined();
  });

  it("passes a captured run of the real cumulative module with both patches' checks", () => {
    const checks = [check, { command: "cat /proc/version", expect: "(livepatched)" }];
    const steps = evaluateVmTest(facts(fixture("vm-test-ok.txt")), checks);
    expect(steps.every((s) => s.status === "ok")).toBe(true);
  });

  it("reports the insmod failure of a captured run with a non-ELF module", () => {
    const steps = evaluateVmTest(facts(fixture("insmod-not-elf.txt")), [check]);
    expect(statuses(steps).slice(0, 4)).toEqual([
      "boot:ok",
      "before-check:ok",
      "insmod:fail",
      "transition:not-run",
    ]);
    const err = vmTestError(steps, "console tail here");
    expect(err?.code).toBe("VM_TEST_FAILED");
    expect(err?.message).toMatch(/step "insmod": insmod: can't insert .*invalid module format/);
    expect(err?.message).toContain("console tail here");
  });

  it("names the step a hung guest never reached", () => {
    const steps = evaluateVmTest(facts(fixture("hung-after-step.txt"), true), [check]);
    const bad = steps.find((s) => s.status === "fail");
    expect(bad?.name).toBe("before-check");
    expect(bad?.detail).toMatch(/hung.*30 s timeout/);
  });

  it("names the panic on the step it interrupted", () => {
    const steps = evaluateVmTest(facts(fixture("panic-init-exited.txt")), [check]);
    const bad = steps.find((s) => s.status === "fail");
    expect(bad?.name).toBe("before-check");
    expect(bad?.detail).toContain(
      "kernel panic: Kernel panic - not syncing: Attempted to kill init!",
    );
  });

  it("fails a stuck transition reported by /init", () => {
    const t = [
      "@@LP step boot ok x",
      "@@LP step insmod ok ",
      "@@LP step transition fail transition still 1 after 15s",
      "@@LP end",
    ];
    const steps = evaluateVmTest(facts(t.join("\n")), []);
    expect(steps.find((s) => s.status === "fail")).toMatchObject({
      name: "transition",
      detail: "transition still 1 after 15s",
    });
  });
});
