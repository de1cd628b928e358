/** How GitHub's Linux runner runs a `run:` script for each `shell:`. */
import { ForgeError } from "../errors.js";

export interface ShellCommand {
  file: string;
  /** Arguments, `{0}` standing for the script file. */
  args: string[];
  /** Script file extension some interpreters need. */
  extension: string;
}

const SHELLS: Record<string, ShellCommand> = {
  // no shell: given (bash being present): `bash -e {0}`
  "": { file: "bash", args: ["-e", "{0}"], extension: ".sh" },
  bash: {
    file: "bash",
    args: ["--noprofile", "--norc", "-eo", "pipefail", "{0}"],
    extension: ".sh",
  },
  sh: { file: "sh", args: ["-e", "{0}"], extension: ".sh" },
  python: { file: "python3", args: ["{0}"], extension: ".py" },
};

/** The command for `shell:` (empty: none given). */
export function shellCommand(shell: string): ShellCommand {
  const known = SHELLS[shell];
  if (known !== undefined) return known;
  // A custom shell is a command template with {0} for the script.
  const [file, ...args] = shell.trim().split(/\s+/);
  if (file !== undefined && file !== "" && args.some((a) => a.includes("{0}"))) {
    return { file, args, extension: "" };
  }
  throw new ForgeError(
    "WORKFLOW_UNSUPPORTED",
    `shell '${shell}' is not supported by the forge runner (bash, sh, python or a command with {0})`,
  );
}

/** The arguments with the script file in place of `{0}`. */
export function shellArgs(cmd: ShellCommand, script: string): string[] {
  return cmd.args.map((a) => a.replace("{0}", script));
}
