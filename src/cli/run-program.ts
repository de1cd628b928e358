import { CommanderError, type Command } from "commander";
import { isLpctlError } from "../core/errors.js";
import { EXIT } from "./exit.js";
import type { Output } from "./output.js";

const SECURITY_CODES = new Set([
  "SIGNATURE_MISSING",
  "SIGNATURE_INVALID",
  "SIGNATURE_UNTRUSTED",
  "SIGNATURE_KEY_EXPIRED",
  "SIGNATURE_KEY_REVOKED",
  "THRESHOLD_NOT_MET",
  "MANIFEST_ROLLBACK",
  "MANIFEST_EXPIRED",
  "DIGEST_MISMATCH",
  "DOWNLOAD_TOO_LARGE",
  "MANIFEST_FILE_NAME_UNSAFE",
  "PREVIOUS_UNVERIFIED",
  "RESUME_WINDOW_INVALID",
  "PROVENANCE_MISSING",
  "PROVENANCE_MISMATCH",
  "MODULE_NAME_REUSED",
  "MANIFEST_REPOSITORY_MISMATCH",
  "MANIFEST_WRONG_KERNEL",
  "MANIFEST_VERSION_REUSED",
  "KEY_LIST_INVALID",
  "KEY_LIST_ROLLBACK",
  "KEY_LIST_EXPIRED",
]);

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
  const program = build((code) => {
    exitCode = code;
  });
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isLpctlError(e)) {
      output.err(`lpctl: ${e.message}`);
      if (debug) output.err(e.stack ?? "");
      if (e.code === "KERNEL_NOT_COVERED") return EXIT.notCovered;
      return SECURITY_CODES.has(e.code) ? EXIT.refused : EXIT.error;
    }
    output.err(`lpctl: unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    output.err(
      debug && e instanceof Error ? (e.stack ?? "") : "(run with --debug for the stack trace)",
    );
    return EXIT.error;
  }
}
