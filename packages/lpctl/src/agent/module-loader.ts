/**
 * Loading and unloading kernel modules: insmod/rmmod from kmod by default,
 * a fake in tests that creates the sysfs entries under a fake root.
 */
import { LpctlError } from "../core/errors.js";
import { runFile } from "./run-file.js";

export interface ModuleLoader {
  /** Inserts the module file at `file` (an actual path). */
  load(file: string): Promise<void>;
  /** Removes the module named `name` (sysfs name, `_` for `-`). */
  unload(name: string): Promise<void>;
}

/** Runs `load ... FILE` and `unload ... NAME` (argument arrays, no shell). */
export function commandLoader(commands: { load: string[]; unload: string[] }): ModuleLoader {
  const run = async (argv: string[], arg: string, what: string) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) throw new LpctlError("CONFIG_INVALID", `loader.${what} is empty`);
    const result = await runFile(cmd, [...args, arg]);
    if (result.code !== 0) {
      const why =
        `${result.stdout.toString()}${result.stderr.toString()}`.trim() ||
        (result.failure?.message ?? "");
      throw new LpctlError(
        "MODULE_LOAD_FAILED",
        `${[cmd, ...args, arg].join(" ")} failed (exit ${String(result.code ?? "none")}): ${why}`,
      );
    }
  };
  return {
    load: (file) => run(commands.load, file, "load"),
    unload: (name) => run(commands.unload, name, "unload"),
  };
}
