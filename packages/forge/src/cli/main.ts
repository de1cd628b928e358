#!/usr/bin/env node
/**
 * The `livepatch-forge` bin. Exit codes: 0 after SIGINT/SIGTERM, 64 for a
 * wrong command line, 1 for any other failure (message on stderr; the stack
 * too with --debug).
 */
import { CommanderError } from "commander";
import { isForgeError } from "../errors.js";
import { forgeProgram } from "./forge-command.js";

const output = {
  out: (line: string) => process.stdout.write(line + "\n"),
  err: (line: string) => process.stderr.write(line + "\n"),
};

/** Runs the command line; resolves to the process exit code. */
async function runForgeCli(argv: string[]): Promise<number> {
  try {
    await forgeProgram(output).parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 1 ? 64 : e.exitCode;
    const debug = argv.includes("--debug");
    if (isForgeError(e)) {
      output.err(`livepatch-forge: ${e.code}: ${e.message}`);
      if (debug && e.stack) output.err(e.stack);
      return e.code === "USAGE" ? 64 : 1;
    }
    output.err(`livepatch-forge: unexpected error (a bug): ${String(e)}`);
    if (e instanceof Error && e.stack) output.err(e.stack);
    return 1;
  }
}

process.exitCode = await runForgeCli(process.argv.slice(2));
