/**
 * Runs a step's process with its output in the job log. The process gets its
 * own process group so cancelling a step (SIGTERM, then SIGKILL after a
 * grace period) also stops what its script started.
 */
import { execa } from "execa";
import type { JobLog } from "./job-log.js";

export interface ProcessOptions {
  cwd: string;
  env: Record<string, string>;
  log: JobLog;
  signal: AbortSignal;
  /** Step timeout (timeout-minutes), if any. */
  timeoutMs?: number;
  /** Between SIGTERM and SIGKILL. */
  graceMs?: number;
}

export type ProcessOutcome =
  | { kind: "exited"; code: number }
  | { kind: "cancelled" }
  | { kind: "timed-out" }
  | { kind: "killed"; signal: string }
  | { kind: "not-started"; message: string };

export async function runLogged(
  file: string,
  args: readonly string[],
  opts: ProcessOptions,
): Promise<ProcessOutcome> {
  const child = execa(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: false,
    detached: true,
    stdin: "ignore",
    all: true,
    buffer: false,
    reject: false,
  });
  let stopped: "cancelled" | "timed-out" | undefined;
  const stop = (why: "cancelled" | "timed-out") => {
    if (stopped !== undefined || child.pid === undefined) return;
    stopped = why;
    signalGroup(child.pid, "SIGTERM");
    const pid = child.pid;
    setTimeout(() => signalGroup(pid, "SIGKILL"), opts.graceMs ?? 5000).unref();
  };
  const onAbort = () => stop("cancelled");
  if (opts.signal.aborted) onAbort();
  opts.signal.addEventListener("abort", onAbort);
  const timer =
    opts.timeoutMs === undefined ? undefined : setTimeout(() => stop("timed-out"), opts.timeoutMs);
  try {
    const [result] = await Promise.all([child, child.all ? opts.log.follow(child.all) : undefined]);
    if (stopped !== undefined) return { kind: stopped };
    if (result.exitCode !== undefined) return { kind: "exited", code: result.exitCode };
    if (result.signal !== undefined) return { kind: "killed", signal: result.signal };
    return { kind: "not-started", message: result.originalMessage ?? result.shortMessage ?? "" };
  } finally {
    opts.signal.removeEventListener("abort", onAbort);
    if (timer !== undefined) clearTimeout(timer);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}
