import { bootWithInit } from "./boot.js";
import type { InitramfsFile } from "./initramfs.js";
import type { TimedLine } from "./markers.js";
import { moduleNameOf } from "./kernel-module-name.js";
import type { BootOutcome } from "./outcome.js";
import type { Accel } from "./qemu.js";
import { VM_MODULE_PATH, VM_TESTS_DIR, vmTestInit } from "./vm-test-init.js";
import { evaluateVmTest, vmTestError, type VmCheck, type VmStep } from "./vm-test-report.js";

export interface VmTestOptions {
  bzImage: string;
  /** The livepatch .ko to load. */
  module: string;
  /** Its sysfs name; default `modinfo -F name`, else the file name with `-` → `_`. */
  moduleName?: string;
  test?: VmCheck;
  /** More checks (one per patch with a `test:` section); run together with `test`. */
  tests?: readonly VmCheck[];
  timeoutMs?: number;
  memoryMb?: number;
  /** Bound on each livepatch transition wait inside the guest. */
  transitionTimeoutS?: number;
  accel?: Accel;
  onLine?: (line: TimedLine) => void;
}

export interface VmTestReport {
  ok: boolean;
  /** The first failed step, when not ok. */
  failedStep?: string;
  moduleName: string;
  checks: VmCheck[];
  steps: VmStep[];
  outcome: BootOutcome;
  accel: Accel;
  /** Packing the initramfs, and qemu's run from start to exit (boot + checks + power-off). */
  packMs: number;
  vmMs: number;
  initramfsBytes: number;
  consoleTail: string;
}

/**
 * Boots the target kernel with `module`, applies and reverts the live patch
 * and runs the patch's checks around it; returns the report (never throws
 * for a failing guest — see `vmTestError` to turn a failed report into
 * VM_TEST_FAILED).
 */
export async function vmTest(o: VmTestOptions): Promise<VmTestReport> {
  const moduleName = o.moduleName ?? (await moduleNameOf(o.module));
  const checks = [...(o.test !== undefined ? [o.test] : []), ...(o.tests ?? [])];
  const timeoutMs = o.timeoutMs ?? 120_000;
  const files: InitramfsFile[] = [
    { path: VM_MODULE_PATH, source: o.module, mode: 0o644 },
    ...checks.map((c, i): InitramfsFile => ({
      path: `${VM_TESTS_DIR}/t${i}.sh`,
      content: c.command + "\n",
    })),
  ];
  const boot = await bootWithInit({
    bzImage: o.bzImage,
    files,
    init: vmTestInit(moduleName, o.transitionTimeoutS ?? 15),
    memoryMb: o.memoryMb ?? 512,
    timeoutMs,
    ...(o.accel !== undefined && { accel: o.accel }),
    ...(o.onLine !== undefined && { onLine: o.onLine }),
  });
  const steps = evaluateVmTest({ ...boot, timeoutMs }, checks);
  const failed = steps.find((s) => s.status === "fail");
  return {
    ok: failed === undefined,
    ...(failed !== undefined && { failedStep: failed.name }),
    moduleName,
    checks,
    steps,
    outcome: boot.outcome,
    accel: boot.accel,
    packMs: boot.packMs,
    vmMs: boot.durationMs,
    initramfsBytes: boot.initramfsBytes,
    consoleTail: boot.consoleTail,
  };
}

/** Throws VM_TEST_FAILED (step name + console tail) when the report failed. */
export function assertVmTestPassed(report: VmTestReport): void {
  const err = vmTestError(report.steps, report.consoleTail);
  if (err !== undefined) throw err;
}
