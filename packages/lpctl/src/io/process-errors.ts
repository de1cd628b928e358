/**
 * The process boundary: what execa throws or reports for a program that is
 * missing, cannot start or fails becomes one LpctlError naming the command,
 * the reason and what to do.
 */
import { isLpctlError, LpctlError } from "../core/errors.js";

interface ProcessFailure {
  code?: unknown;
  exitCode?: unknown;
  signal?: unknown;
  stderr?: unknown;
  shortMessage?: unknown;
  message?: unknown;
}

/**
 * `e` (an execa error or failed result) for running `command`: TOOL_MISSING
 * with `install` as advice when it cannot be started, TOOL_FAILED otherwise.
 */
export function translateProcessError(e: unknown, command: string, install: string): LpctlError {
  if (isLpctlError(e)) return e;
  const f = (typeof e === "object" && e !== null ? e : {}) as ProcessFailure;
  if (f.code === "ENOENT" || f.code === "EACCES") {
    return new LpctlError("TOOL_MISSING", `cannot run '${command}' (${f.code}); ${install}`, {
      cause: e,
      details: { tool: command },
    });
  }
  const how =
    typeof f.exitCode === "number"
      ? `exit ${f.exitCode}`
      : typeof f.signal === "string"
        ? `killed by ${f.signal}`
        : typeof f.code === "string"
          ? `cannot start: ${f.code}`
          : "failed";
  const stderr =
    typeof f.stderr === "string" ? f.stderr.trim().split("\n").slice(-5).join("\n") : "";
  return new LpctlError(
    "TOOL_FAILED",
    `'${command}' failed (${how})${stderr === "" ? "" : `:\n${stderr}`}\ncheck the command's output above and the tool's installation`,
    { cause: e, details: { tool: command, ...(stderr === "" ? {} : { stderr }) } },
  );
}
