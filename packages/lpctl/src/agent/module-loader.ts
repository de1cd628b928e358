/**
 * Loading and unloading kernel modules: insmod/rmmod from kmod by default,
 * a fake in tests that creates the sysfs entries under a fake root.
 */
import { LpctlError } from "../core/errors.js";

export interface ModuleLoader {
  /** Inserts the module file at `file` (an actual path). */
  load(file: string): Promise<void>;
  /** Removes the module named `name` (sysfs name, `_` for `-`). */
  unload(name: string): Promise<void>;
}

/** What one loader command did: its exit code (null: killed or never started) and output. */
interface CommandRun {
  code: number | null;
  output: string;
  /** Set when the command could not be started or was killed. */
  failure?: string;
}

/**
 * Runs `cmd args` without a shell and collects stdout and stderr. Node's own
 * child_process, not a process library: this runs on the boot unit's path
 * to the patch, where loading a library costs more than insmod itself.
 */
async function runCommand(cmd: string, args: string[]): Promise<CommandRun> {
  // Loaded here: an idle sync loads no module and needs no child_process.
  const { execFile } = await import("node:child_process");
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: "utf8" }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error === null) return resolve({ code: 0, output });
      // A number: the exit status; a string (ENOENT, EACCES): it never ran.
      const code = typeof error.code === "number" ? error.code : null;
      resolve({ code, output, ...(code === null ? { failure: error.message } : {}) });
    });
  });
}

/** Runs `load ... FILE` and `unload ... NAME` (argument arrays, no shell). */
export function commandLoader(commands: { load: string[]; unload: string[] }): ModuleLoader {
  const run = async (argv: string[], arg: string, what: string) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) throw new LpctlError("CONFIG_INVALID", `loader.${what} is empty`);
    const result = await runCommand(cmd, [...args, arg]);
    if (result.code !== 0) {
      const why = result.output.trim() || (result.failure ?? "");
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
