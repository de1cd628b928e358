/**
 * The livepatch sysfs ABI (Documentation/ABI/testing/sysfs-kernel-livepatch):
 * /sys/kernel/livepatch/<name>/{enabled,transition,signal}. /sys/module/<name>
 * tells whether the module itself is still loaded.
 */
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
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
  /** Asks the kernel to signal tasks that block the transition. */
  signal(name: string): Promise<void>;
}

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
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw e;
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
    setEnabled: (name, on) => writeFile(`${dir(name)}/enabled`, on ? "1\n" : "0\n"),
    signal: (name) => writeFile(`${dir(name)}/signal`, "1\n"),
  };
}
