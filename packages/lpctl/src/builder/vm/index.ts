// The VM library's public surface: vm-test for the builder and CLI,
// bootWithInit and the initramfs helpers for the agent's tests.
export { bootWithInit, composeInit, type BootOptions, type BootResult } from "./boot.js";
export { type BootModule } from "./boot-modules.js";
export { moduleLoadOrder } from "./modules-dep.js";
export { buildInitramfs, type InitramfsFile } from "./initramfs.js";
export { baseRootFiles, nodeRuntimeFiles, programFiles } from "./rootfs.js";
export { parseMarkers, linesOf, MARKER, type ParsedMarkers, type StepMarker } from "./markers.js";
export { classifyBoot, consoleTail, type BootOutcome } from "./outcome.js";
export { defaultAccel, type Accel } from "./qemu.js";
export { moduleNameOf } from "./kernel-module-name.js";
export { vmTest, assertVmTestPassed, type VmTestOptions, type VmTestReport } from "./vm-test.js";
export { VM_STEPS, type VmCheck, type VmStep, type VmStepName } from "./vm-test-report.js";
export { startVmSession, type VmSession, type VmSessionOptions } from "./session.js";
