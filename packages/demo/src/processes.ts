/**
 * The demo's child processes (forge, app, qemu): each logs to its own file,
 * and all of them stop together, on success, on a failing step, or on
 * Ctrl-C, so nothing is left running or listening.
 */
import { execa, type ResultPromise } from "execa";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";

/**
 * The demo handles SIGINT itself (stop everything, exit 130). execa's
 * `cleanup` registers signal-exit, which re-raises a signal when it counts
 * as many listeners as it has registrations: with exactly two children
 * alive, Ctrl-C killed the demo on the spot and left the forge and app
 * running. So no execa call in the demo process uses it; `Processes`
 * kills what is left when the process exits instead.
 */
export const NO_SIGNAL_EXIT = { cleanup: false } as const;

export interface Child {
  name: string;
  process: ResultPromise;
  logFile: string;
}

export class Processes {
  private readonly children: Child[] = [];
  private readonly stoppers: (() => Promise<unknown>)[] = [];
  private readonly killers: (() => void)[] = [];

  constructor() {
    // The last resort (an exception nobody caught): SIGKILL whatever is still running.
    process.once("exit", () => {
      for (const c of this.children) c.process.kill("SIGKILL");
      for (const k of this.killers) k();
    });
  }

  /** Starts `command`; stdout and stderr go to `logFile`, and `onLine` sees stdout lines. */
  spawn(
    name: string,
    command: string,
    args: readonly string[],
    opts: {
      logFile: string;
      env?: Record<string, string>;
      cwd?: string;
      onLine?: (line: string) => void;
    },
  ): Child {
    const log = createWriteStream(opts.logFile, { flags: "a" });
    const child = execa(command, args, {
      ...NO_SIGNAL_EXIT,
      reject: false,
      buffer: false,
      stdin: "ignore",
      ...(opts.cwd !== undefined && { cwd: opts.cwd }),
      env: opts.env ?? {},
      extendEnv: true,
    });
    let partial = "";
    child.stdout.on("data", (b: Buffer) => {
      log.write(b);
      const parts = (partial + b.toString("utf8")).split("\n");
      partial = parts.pop() ?? "";
      for (const p of parts) opts.onLine?.(p);
    });
    child.stderr.on("data", (b: Buffer) => log.write(b));
    void child.finally(() => log.end());
    const entry = { name, process: child, logFile: opts.logFile };
    this.children.push(entry);
    return entry;
  }

  /** Throws when a child exited before stopAll asked it to (its log says why). */
  check(): void {
    for (const c of this.children) {
      if (c.process.exitCode !== null || c.process.signalCode !== null) {
        throw new LpctlError(
          "DEMO_FAILED",
          `the ${c.name} exited unexpectedly (${c.process.signalCode ?? `exit ${String(c.process.exitCode)}`}); see ${c.logFile}`,
        );
      }
    }
  }

  /** Something else to undo on stop (a VM session), and how to kill it at once on exit. */
  onStop(stop: () => Promise<unknown>, kill?: () => void): void {
    this.stoppers.push(stop);
    if (kill) this.killers.push(kill);
  }

  /** SIGTERM to every child (the forge and the app finish in-flight work), SIGKILL after 10 s. */
  async stopAll(): Promise<void> {
    const stoppers = this.stoppers.splice(0).reverse();
    for (const stop of stoppers) await stop().catch(() => undefined);
    const children = this.children.splice(0).reverse();
    await Promise.all(
      children.map(async (c) => {
        if (c.process.exitCode !== null) return;
        c.process.kill("SIGTERM");
        const timer = setTimeout(() => c.process.kill("SIGKILL"), 10_000);
        await c.process;
        clearTimeout(timer);
      }),
    );
  }
}

/** A free loopback port (the app's, known before the forge registers its webhook URL). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      s.close(() => {
        if (addr && typeof addr === "object") resolve(addr.port);
        else reject(new LpctlError("INTERNAL", "no loopback port"));
      });
    });
  });
}

/** Polls `probe` until it returns a value; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 1000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      // A demo failure (a child died) ends the wait; anything else is "not yet" (404s while polling).
      if (e instanceof LpctlError && e.code === "DEMO_FAILED") throw e;
      last = e;
    }
    if (Date.now() > deadline) {
      throw new LpctlError(
        "DEMO_FAILED",
        `timed out after ${secsOf(timeoutMs)} waiting for ${what}`,
        {
          cause: last,
        },
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const secsOf = (ms: number) => `${String(Math.round(ms / 1000))} s`;
