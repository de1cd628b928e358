/**
 * Kernel modules a guest loads before /init's body runs, for a kernel that
 * builds a device the VM needs as a module (Debian's cloud kernel has
 * virtio_pci and virtio_net =m). Each .ko goes into the initramfs; /init
 * loads them in the given order (dependencies first, see modules-dep.ts)
 * and fails its "boot" step naming the module that did not load.
 */
import type { InitramfsFile } from "./initramfs.js";

export interface BootModule {
  /** The module's name (`virtio_net`). */
  name: string;
  /** Its .ko on this machine. */
  source: string;
}

const DIR = "/lib/modules/boot";
const vmPath = (m: BootModule) => `${DIR}/${m.name}.ko`;

export function bootModuleFiles(modules: readonly BootModule[]): InitramfsFile[] {
  return modules.map((m) => ({ path: vmPath(m), source: m.source, mode: 0o644 }));
}

/** Shell lines for /init, after the marker functions and before the "boot" step. */
export function bootModuleInit(modules: readonly BootModule[]): string[] {
  return modules.map(
    (m) =>
      `err=$(insmod ${vmPath(m)} 2>&1) || { lp_step boot fail "insmod ${m.name}: $err"; lp_end; }`,
  );
}
