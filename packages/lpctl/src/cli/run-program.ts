import { CommanderError, type Command } from "commander";
import { LpctlError } from "../core/errors.js";
import { applyConventions, commandPath } from "./conventions.js";
import { EXIT } from "./exit.js";
import type { Output } from "./output.js";
import { errorJson, reportError } from "./report-error.js";

/**
 * Runs a commander program built by `build` with `argv` (without node and
 * script) and maps errors to exit codes. Shared by `lpctl` and the
 * single-file agent, which registers fewer commands.
 */
export async function runProgram(
  build: (setExit: (code: number) => void) => Command,
  argv: string[],
  output: Output,
): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = applyConventions(
    build((code) => {
      exitCode = code;
    }),
  );
  // --json as the running command parsed it (not a value of another option);
  // before parsing succeeds, the raw argv is all there is.
  let json = argv.includes("--json");
  let running: Command | undefined;
  program.hook("preAction", (_root, action) => {
    json = action.opts<{ json?: unknown }>().json === true;
    running = action;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return EXIT.ok;
      // commander already printed the message and the usage line.
      if (json) output.out(errorJson(new LpctlError("USAGE", e.message, { cause: e })));
      return EXIT.usage;
    }
    const code = reportError(e, output, { debug: argv.includes("--debug"), json });
    // A usage error found by the command itself: point at its help, as commander does.
    if (code === EXIT.usage && running !== undefined)
      output.err(`see '${commandPath(running)} --help'`);
    return code;
  }
}
