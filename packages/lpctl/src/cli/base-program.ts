import { Command } from "commander";
import type { Output } from "./output.js";
import { LPCTL_VERSION } from "./version.js";

/** What every command's register function gets. */
export interface CommandContext {
  output: Output;
  setExit: (code: number) => void;
}

/**
 * The root command both entry points share (the full `lpctl` and the host
 * agent bundle): global --debug and --version, errors as exceptions, output
 * through `output`. runProgram applies the conventions (conventions.ts) once
 * every command is registered.
 */
export function baseProgram(description: string, output: Output): Command {
  return new Command("lpctl")
    .description(description)
    .version(LPCTL_VERSION, "-V, --version", "print the lpctl version")
    .option("--debug", "show stack traces and debug output")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => output.out(s.replace(/\n$/, "")),
      writeErr: (s) => output.err(s.replace(/\n$/, "")),
    });
}
