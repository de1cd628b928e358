/**
 * `--json` for commands that print a result: progress goes to stderr and
 * stdout carries exactly one JSON document (the result, or the error from
 * report-error.ts), so scripts never parse progress lines.
 */
import type { CommandContext } from "./base-program.js";

export interface CommandOutput {
  /** A progress line: stdout for people, stderr under --json. */
  log: (line: string) => void;
  /** The result: `lines` for people, `doc` under --json. */
  result: (doc: unknown, lines: readonly string[]) => void;
}

export function commandOutput(ctx: CommandContext, json: boolean | undefined): CommandOutput {
  return {
    log: (line) => (json ? ctx.output.err(line) : ctx.output.out(line)),
    result: (doc, lines) => {
      if (json) ctx.output.out(JSON.stringify(doc, null, 2));
      else for (const l of lines) ctx.output.out(l);
    },
  };
}
