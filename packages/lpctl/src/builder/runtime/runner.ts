/**
 * Every process the builder starts goes through a Runner, so the logic is
 * tested with a fake and the real tools run only in integration tests.
 * Arguments are always an array: nothing is ever parsed by a shell.
 */
import { execa } from "execa";
import { translateProcessError } from "../../io/process-errors.js";

export interface RunOptions {
  cwd?: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** Called for each stdout/stderr line as it arrives (progress, logs). */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
  /** Text written to the child's stdin. */
  input?: string;
  /** Called with the child's pid once it started (locks record it, see lock.ts). */
  onSpawn?: (pid: number) => void;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Runner {
  /** Runs `cmd` to completion; a non-zero exit is a result, a missing program is TOOL_MISSING. */
  run(cmd: string, args: readonly string[], opts?: RunOptions): Promise<RunResult>;
}

/** Splits a stream into lines for `onLine` (a chunk may end mid-line). */
function lineSplitter(emit: (line: string) => void): { push(chunk: string): void; end(): void } {
  let rest = "";
  return {
    push(chunk) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      for (const p of parts) emit(p);
    },
    end() {
      if (rest !== "") emit(rest);
      rest = "";
    },
  };
}

export const execaRunner: Runner = {
  async run(cmd, args, opts = {}) {
    const child = execa(cmd, [...args], {
      cwd: opts.cwd,
      env: opts.env,
      extendEnv: true,
      reject: false,
      stripFinalNewline: false,
      input: opts.input,
      stdin: opts.input === undefined ? "ignore" : "pipe",
      maxBuffer: 512 * 1024 * 1024,
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    const onLine = opts.onLine;
    if (onLine) {
      const out = lineSplitter((l) => onLine(l, "stdout"));
      const err = lineSplitter((l) => onLine(l, "stderr"));
      child.stdout.setEncoding("utf8").on("data", (c: string) => out.push(c));
      child.stderr.setEncoding("utf8").on("data", (c: string) => err.push(c));
      child.stdout.on("end", () => out.end());
      child.stderr.on("end", () => err.end());
    }
    const r = await child;
    // Could not start at all (a non-zero exit or a signal is a result, not this).
    if (r.failed && r.exitCode === undefined && r.signal === undefined) {
      throw translateProcessError(
        r,
        cmd,
        "install the build dependencies: sudo bash scripts/install-build-deps.sh",
      );
    }
    return {
      exitCode: r.exitCode ?? 1,
      stdout: typeof r.stdout === "string" ? r.stdout : "",
      stderr: typeof r.stderr === "string" ? r.stderr : "",
    };
  },
};
