/**
 * How the CLI shows a failure: `lpctl: CODE: message` on stderr (the stack
 * only with --debug) and, for a command run with --json, one JSON error
 * object on stdout so scripts never parse an empty output.
 */
import { errorCategory, LpctlError } from "../core/errors.js";
import { exitCodeFor, type ExitCode } from "./exit.js";
import type { Output } from "./output.js";

export interface ReportOptions {
  debug: boolean;
  json: boolean;
}

/** Anything thrown, as an LpctlError: untranslated errors become INTERNAL (a bug). */
export function asLpctlError(e: unknown): LpctlError {
  if (e instanceof LpctlError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new LpctlError(
    "INTERNAL",
    `unexpected error: ${message} (a bug in lpctl: please report it with the output of --debug)`,
    { cause: e },
  );
}

/** The `--json` error document: `{"error":{"code","category","exitCode","message","details"}}`. */
export function errorJson(e: LpctlError): string {
  const category = errorCategory(e.code);
  return JSON.stringify(
    {
      error: {
        code: e.code,
        category,
        exitCode: exitCodeFor(category),
        message: e.message,
        details: e.details,
      },
    },
    null,
    2,
  );
}

/** Prints `thrown` and returns the exit code its code's category gives. */
export function reportError(thrown: unknown, output: Output, opts: ReportOptions): ExitCode {
  const e = asLpctlError(thrown);
  output.err(`lpctl: ${e.code}: ${e.message}`);
  if (opts.debug) output.err(stackOf(thrown));
  else if (e.code === "INTERNAL") output.err("(run with --debug for the stack trace)");
  if (opts.json) output.out(errorJson(e));
  return exitCodeFor(errorCategory(e.code));
}

function stackOf(e: unknown): string {
  const own = e instanceof Error ? (e.stack ?? "") : String(e);
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.stack : undefined;
  return cause === undefined ? own : `${own}\ncaused by: ${cause}`;
}
