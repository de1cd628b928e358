import type { ParsedMarkers } from "./markers.js";

/**
 * How a boot ended, judged from the console alone:
 * - completed: /init printed its end marker;
 * - panic: the kernel panicked (before or after anything else);
 * - timeout: the guest hung and qemu was killed at the hard limit;
 * - no-end-marker: qemu stopped without the marker (reset, triple fault, qemu error).
 */
export type BootOutcome = "completed" | "panic" | "timeout" | "no-end-marker";

const PANIC = /Kernel panic - not syncing/;

/** Classifies a finished boot; pure, so captured transcripts are its tests. */
export function classifyBoot(
  transcript: string,
  markers: ParsedMarkers,
  timedOut: boolean,
): BootOutcome {
  if (PANIC.test(transcript)) return "panic";
  if (markers.ended) return "completed";
  return timedOut ? "timeout" : "no-end-marker";
}

/** The panic line itself, for error messages. */
export function panicLine(transcript: string): string | undefined {
  return transcript
    .split("\n")
    .find((l) => PANIC.test(l))
    ?.trim();
}

/** The last `n` console lines: what a human needs to see why a boot failed. */
export function consoleTail(transcript: string, n = 40): string {
  const lines = transcript.replace(/\r/g, "").split("\n");
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === "") lines.pop();
  return lines.slice(-n).join("\n");
}
