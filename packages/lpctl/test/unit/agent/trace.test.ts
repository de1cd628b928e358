/**
 * LPCTL_TRACE: nothing without it; with it, lines that the reboot bench's
 * parser (packages/lpctl/test/e2e/helpers/reboot-vm.ts) turns into phases summing to the
 * command's whole time.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type * as Trace from "../../../src/agent/trace.js";
import { phasesOf } from "../../e2e/helpers/reboot-vm.js";

async function captured(env: string | undefined, run: (t: typeof Trace) => void) {
  vi.resetModules();
  vi.stubEnv("LPCTL_TRACE", env);
  const lines: string[] = [];
  const exitListeners = process.listeners("exit");
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    run(await import("../../../src/agent/trace.js"));
  } finally {
    spy.mockRestore();
    // traceStart's exit line: not at this test worker's exit.
    for (const l of process.listeners("exit")) {
      if (!exitListeners.includes(l)) process.removeListener("exit", l);
    }
  }
  return lines.join("");
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("trace", () => {
  it("writes nothing unless LPCTL_TRACE=1", async () => {
    expect(
      await captured(undefined, (t) => (t.traceStart("agent-loaded"), t.trace("insmod"))),
    ).toBe("");
    expect(await captured("0", (t) => t.trace("insmod"))).toBe("");
  });

  it("writes the uptime, Node's bootstrap and each phase, which parse into phases", async () => {
    const out = await captured("1", (t) => {
      t.traceStart("agent-loaded");
      t.trace("insmod");
    });
    const lines = out.trimEnd().split("\n");
    expect(lines.map((l) => l.replace(/^lpctl-trace [\d.]+ /, ""))).toEqual([
      expect.stringMatching(/^uptime=\d+\.\d+$/),
      "node-bootstrap",
      "agent-loaded",
      "insmod",
    ]);
    const uptime = Number(/uptime=([\d.]+)/.exec(out)?.[1]);
    const at = Number(/^lpctl-trace ([\d.]+) uptime=/.exec(out)?.[1]);
    const zero = uptime - at / 1000;
    // A shell that started 50 ms before the process and saw it end 2 s after.
    const phases = phasesOf(out, zero - 0.05, zero + 2);
    expect(phases.map((p) => p.phase)).toEqual([
      "exec",
      "node-bootstrap",
      "agent-loaded",
      "insmod",
      "exited",
    ]);
    expect(phases[0]?.ms).toBe(50);
    expect(phases.reduce((a, p) => a + p.ms, 0)).toBeCloseTo(2050, -1);
  });

  it("gives no phases for output without trace lines", () => {
    expect(phasesOf("applied lp_x (1 patch)\n", 1, 2)).toEqual([]);
  });
});
