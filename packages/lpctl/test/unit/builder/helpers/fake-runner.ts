import type { RunOptions, RunResult, Runner } from "../../../../src/builder/runtime/runner.js";

export interface Call {
  cmd: string;
  args: readonly string[];
  opts?: RunOptions;
}

type Handler = (args: readonly string[], opts?: RunOptions) => Partial<RunResult> | Error;

/** A Runner answering from a table keyed by command; records every call. */
export function fakeRunner(handlers: Record<string, Handler>): Runner & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    run(cmd, args, opts) {
      calls.push({ cmd, args, ...(opts ? { opts } : {}) });
      const h = handlers[cmd];
      if (!h) return Promise.reject(new Error(`unexpected command ${cmd} ${args.join(" ")}`));
      const r = h(args, opts);
      if (r instanceof Error) return Promise.reject(r);
      return Promise.resolve({ exitCode: 0, stdout: "", stderr: "", ...r });
    },
  };
}
