import { LpctlError } from "../../core/errors.js";
import type { ParsedMarkers } from "./markers.js";
import type { BootOutcome } from "./outcome.js";
import { panicLine } from "./outcome.js";

/** A check run in the guest: its output must contain `expect` only while the patch is applied. */
export interface VmCheck {
  command: string;
  expect: string;
}

export const VM_STEPS = [
  "boot",
  "before-check",
  "insmod",
  "transition",
  "enabled",
  "test",
  "disable",
  "rmmod",
  "after-unload",
  "poweroff",
] as const;
export type VmStepName = (typeof VM_STEPS)[number];

/** ok/fail: judged; skipped: nothing to check (no test); not-run: an earlier step failed. */
export type VmStepStatus = "ok" | "fail" | "skipped" | "not-run";

export interface VmStep {
  name: VmStepName;
  status: VmStepStatus;
  detail: string;
  /** When the host saw the step's marker, in ms since qemu started. */
  atMs?: number;
}

export interface VmBootFacts {
  outcome: BootOutcome;
  markers: ParsedMarkers;
  transcript: string;
  timeoutMs: number;
}

function quote(s: string, max = 200): string {
  const one = s.replace(/\s+/g, " ").trim();
  return JSON.stringify(one.length > max ? one.slice(0, max) + "…" : one);
}

/** Why a step has no marker: what the boot outcome says happened instead. */
function missingReason(f: VmBootFacts): string {
  switch (f.outcome) {
    case "panic":
      return `kernel panic: ${panicLine(f.transcript) ?? "Kernel panic"}`;
    case "timeout":
      return `the VM hung: no progress before the ${f.timeoutMs / 1000} s timeout`;
    case "no-end-marker":
      return "the VM stopped without reaching this step (reset or qemu error)";
    case "completed":
      return "/init finished without reporting this step";
  }
}

/** Output checks of one phase: `present` says whether each output must contain its expected text. */
function judgeOutputs(
  m: ParsedMarkers,
  phase: string,
  checks: readonly VmCheck[],
  present: boolean,
): Omit<VmStep, "name"> | undefined {
  if (checks.length === 0) return { status: "skipped", detail: "no test command given" };
  const problems: string[] = [];
  let atMs: number | undefined;
  for (const [i, c] of checks.entries()) {
    const out = m.outputs.get(`${phase}-t${i}`);
    if (out === undefined) return undefined;
    atMs = out.atMs ?? atMs;
    if (out.text.includes(c.expect) !== present) {
      problems.push(
        `${quote(c.command)} output ${present ? "lacks" : "already contains"} ${quote(c.expect)}: ${quote(out.text)}`,
      );
    }
  }
  const step =
    problems.length === 0
      ? {
          status: "ok" as const,
          detail: `${checks.length} check(s) ${present ? "show" : "do not show"} the expected text`,
        }
      : { status: "fail" as const, detail: problems.join("; ") };
  return atMs === undefined ? step : { ...step, atMs };
}

/** Turns a finished vm-test boot into its steps; pure. */
export function evaluateVmTest(f: VmBootFacts, checks: readonly VmCheck[]): VmStep[] {
  const m = f.markers;
  const fromMarker = (name: VmStepName): Omit<VmStep, "name"> | undefined => {
    const s = m.steps.find((x) => x.name === name);
    if (s === undefined) return undefined;
    return {
      status: s.ok ? "ok" : "fail",
      detail: s.detail,
      ...(s.atMs !== undefined && { atMs: s.atMs }),
    };
  };
  const judged: Record<VmStepName, () => Omit<VmStep, "name"> | undefined> = {
    boot: () => fromMarker("boot"),
    "before-check": () => judgeOutputs(m, "before", checks, false),
    insmod: () => fromMarker("insmod"),
    transition: () => fromMarker("transition"),
    enabled: () => fromMarker("enabled"),
    test: () => judgeOutputs(m, "patched", checks, true),
    disable: () => fromMarker("disable"),
    rmmod: () => fromMarker("rmmod"),
    "after-unload": () => judgeOutputs(m, "unloaded", checks, false),
    poweroff: () =>
      f.outcome === "completed" ? { status: "ok", detail: "end marker seen" } : undefined,
  };
  let failed = false;
  return VM_STEPS.map((name): VmStep => {
    const r = judged[name]();
    if (r === undefined) {
      const step: VmStep = failed
        ? { name, status: "not-run", detail: "an earlier step failed" }
        : { name, status: "fail", detail: missingReason(f) };
      failed = true;
      return step;
    }
    if (r.status === "fail") failed = true;
    return { name, ...r };
  });
}

/** The VM_TEST_FAILED error for a failed report: names the step and carries the console tail. */
export function vmTestError(steps: readonly VmStep[], tail: string): LpctlError | undefined {
  const bad = steps.find((s) => s.status === "fail");
  if (bad === undefined) return undefined;
  return new LpctlError(
    "VM_TEST_FAILED",
    `VM test failed at step "${bad.name}": ${bad.detail}\n--- console tail ---\n${tail}`,
    { details: { step: bad.name, detail: bad.detail, consoleTail: tail } },
  );
}
