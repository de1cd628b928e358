import { Command } from "commander";
import type { Output } from "./output.js";

/** What every command's register function gets. */
export interface CommandContext {
  output: Output;
  setExit: (code: number) => void;
}

/**
 * The root command both entry points share (the full `lpctl` and the host
 * agent bundle): global --debug, errors as exceptions, output through `output`.
 */
export function baseProgram(description: string, output: Output): Command {
  return new Command("lpctl")
    .description(description)
    .option("--debug", "show stack traces and debug output")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => output.out(s.replace(/\n$/, "")),
      writeErr: (s) => output.err(s.replace(/\n$/, "")),
    });
}
