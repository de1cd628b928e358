/**
 * The livepatch sysfs ABI (Documentation/ABI/testing/sysfs-kernel-livepatch):
 * /sys/kernel/livepatch/<name>/{enabled,transition,signal}. /sys/module/<name>
 * tells whether the module itself is still loaded.
 */
import { constants } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { fsStep, translateFsError } from "../io/fs-errors.js";
import type { HostRoot } from "./host-root.js";

export interface PatchState {
  enabled: boolean;
  transition: boolean;
}

export interface LivepatchSysfs {
  /** The patch's state, or undefined when it is not registered. */
  patch(name: string): Promise<PatchState | undefined>;
  /** Names registered under /sys/kernel/livepatch. */
  list(): Promise<string[]>;
  moduleLoaded(name: string): Promise<boolean>;
  setEnabled(name: string, on: boolean): Promise<void>;
  /**
   * Asks the kernel to signal tasks that block the transition; false when
   * the kernel has no `signal` file: Linux 6.1's livepatch ABI has none, the
   * kernel sends the fake signal itself every 15 seconds
   * (Documentation/livepatch/livepatch.rst).
   */
  signal(name: string): Promise<boolean>;
}

/** sysfs refusals (EPERM without root, a patch gone meanwhile) are host failures, not missing files. */
const SYSFS = { code: "SYSFS_FAILED", missing: "SYSFS_FAILED" } as const;

const readFlag = async (file: string) => (await readFile(file, "utf8")).trim() === "1";

/** Sysfs under `root`. */
export function livepatchSysfs(root: HostRoot): LivepatchSysfs {
  const dir = (name: string) => root.resolve(`/sys/kernel/livepatch/${name}`);
  return {
    async patch(name) {
      try {
        return {
          enabled: await readFlag(`${dir(name)}/enabled`),
          transition: await readFlag(`${dir(name)}/transition`),
        };
      } catch (e) {
        // ENODEV: the kernel is tearing the patch's kobject down (a disable
        // or a reverted transition finishing) while we read it: it is gone.
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENODEV") return undefined;
        throw translateFsError(e, `read the state of live patch ${name} in sysfs`, SYSFS);
      }
    },
    async list() {
      return readdir(root.resolve("/sys/kernel/livepatch")).catch(() => []);
    },
    async moduleLoaded(name) {
      return stat(root.resolve(`/sys/module/${name}`)).then(
        () => true,
        () => false,
      );
    },
    setEnabled: (name, on) =>
      fsStep(
        `${on ? "enable" : "disable"} live patch ${name} (${dir(name)}/enabled)`,
        () => writeFile(`${dir(name)}/enabled`, on ? "1\n" : "0\n"),
        SYSFS,
      ),
    async signal(name) {
      const file = `${dir(name)}/signal`;
      try {
        // No O_CREAT: sysfs refuses to create a file (EACCES) where the
        // attribute does not exist.
        await writeFile(file, "1\n", { flag: constants.O_WRONLY });
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
        throw translateFsError(e, `signal the tasks blocking live patch ${name} (${file})`, SYSFS);
      }
    },
  };
}
