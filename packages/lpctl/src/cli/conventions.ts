/**
 * What every lpctl command shares, applied once to the whole tree: required
 * options marked in help, a usage error that prints the usage line and
 * where the help is (not the whole help), and the exit codes in the root help.
 */
import type { Command } from "commander";
import { EXIT_TABLE } from "./exit.js";

/** `lpctl kernel prepare`: the command's name with its parents'. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

function walk(cmd: Command, visit: (c: Command) => void): void {
  visit(cmd);
  for (const sub of cmd.commands) walk(sub, visit);
}

/** Applies the conventions to `program` and every subcommand it has now. */
export function applyConventions(program: Command): Command {
  walk(program, (cmd) => {
    for (const opt of cmd.options) {
      if (opt.mandatory && !opt.description.endsWith("(required)")) {
        opt.description = `${opt.description} (required)`;
      }
    }
    const name = commandPath(cmd);
    cmd.showHelpAfterError(`usage: ${name} ${cmd.usage()}\nsee '${name} --help'`);
  });
  program.addHelpText("after", `\n${EXIT_TABLE}`);
  return program;
}
