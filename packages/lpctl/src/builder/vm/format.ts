import type { VmTestReport } from "./vm-test.js";

function secs(ms: number | undefined): string {
  return ms === undefined ? "      -" : `${(ms / 1000).toFixed(1).padStart(6)}s`;
}

/** Human lines for a vm-test report: one per step, elapsed since qemu started; pure. */
export function formatVmReport(r: VmTestReport): string[] {
  const lines = r.steps.map((s) =>
    `${secs(s.atMs)}  ${s.status.padEnd(7)}  ${s.name.padEnd(12)}  ${s.detail}`.trimEnd(),
  );
  lines.push(
    `${r.ok ? "PASS" : `FAIL at ${r.failedStep ?? "?"}`}: ${r.moduleName}, ${r.checks.length} check(s), ` +
      `${r.accel}, initramfs ${(r.initramfsBytes / 1e6).toFixed(1)} MB packed in ${(r.packMs / 1000).toFixed(1)} s, ` +
      `VM ${(r.vmMs / 1000).toFixed(1)} s`,
  );
  return lines;
}
