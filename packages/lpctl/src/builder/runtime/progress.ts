/**
 * Long work prints its phases with the time since the command started
 * ("[  12.3s] unpack source") and records how long each phase took.
 */
import type { Clock } from "../../io/clock.js";

export interface Progress {
  /** Starts a phase (ending the previous one) and prints its name and detail; timings use the name. */
  phase(name: string, detail?: string): void;
  /** Prints a line under the current phase. */
  line(text: string): void;
  /** Ends the current phase; timings are complete afterwards. */
  end(): void;
  /** Seconds per phase name (rounded to 0.1 s). */
  readonly timings: Record<string, number>;
}

export function formatElapsed(ms: number): string {
  return `[${(ms / 1000).toFixed(1).padStart(6)}s]`;
}

export function createProgress(clock: Clock, print: (line: string) => void): Progress {
  const start = clock.monotonicMs();
  const timings: Record<string, number> = {};
  let current: { name: string; at: number } | undefined;
  const stamp = (): string => formatElapsed(clock.monotonicMs() - start);
  const close = (): void => {
    if (!current) return;
    const secs = (clock.monotonicMs() - current.at) / 1000;
    timings[current.name] = Math.round(((timings[current.name] ?? 0) + secs) * 10) / 10;
    current = undefined;
  };
  return {
    phase(name, detail) {
      close();
      current = { name, at: clock.monotonicMs() };
      print(`${stamp()} ${name}${detail ? `: ${detail}` : ""}`);
    },
    line(text) {
      print(`${stamp()}   ${text}`);
    },
    end: close,
    timings,
  };
}
