/** Flag values shared by the publisher commands, checked with a clear USAGE error. */
import { LpctlError } from "../../core/errors.js";

/** A non-negative integer flag value. */
export function integer(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new LpctlError("USAGE", `${flag} must be a non-negative integer, not '${value}'`);
  return n;
}

/** An ISO 8601 time flag value (--now). */
export function isoTime(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new LpctlError("USAGE", `--now must be an ISO 8601 time, not '${value}'`);
  return d;
}
