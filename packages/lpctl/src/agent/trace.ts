/**
 * LPCTL_TRACE=1: one stderr line per phase of a sync, `lpctl-trace <ms> <phase>`,
 * with the milliseconds since the process started (performance.now()), so
 * the boot unit's time can be split into its phases where it runs (in the
 * VM: bench/reboot.mjs). Off, it costs one comparison per phase.
 */
import { readFileSync } from "node:fs";
import process from "node:process";

const enabled = process.env.LPCTL_TRACE === "1";

/** Records that `phase` ended now. */
export function trace(phase: string): void {
  if (!enabled) return;
  process.stderr.write(`lpctl-trace ${performance.now().toFixed(1)} ${phase}\n`);
}

/**
 * The first lines of a run: the system's uptime now (to place the process
 * on the boot's time line), when Node's own bootstrap ended (before any
 * lpctl code loaded), `phase`; and a last line when the process exits.
 */
export function traceStart(phase: string): void {
  if (!enabled) return;
  const uptime = readFileSync("/proc/uptime", "utf8").split(" ")[0] ?? "?";
  process.stderr.write(`lpctl-trace ${performance.now().toFixed(1)} uptime=${uptime}\n`);
  const boot = performance.nodeTiming.bootstrapComplete;
  process.stderr.write(`lpctl-trace ${boot.toFixed(1)} node-bootstrap\n`);
  trace(phase);
  process.once("exit", () => trace("exit"));
}
