/**
 * The protocol between a VM's /init and the host: /init prints marker lines
 * on the serial console, the host parses the transcript. Only these shapes
 * count; anything else on the console is kernel or program chatter.
 *
 *   @@LP step <name> <ok|fail> [detail…]   a check /init ran
 *   @@LP out <name> <base64>               captured output, encoded so any bytes survive
 *   @@LP end                               /init reached its end and powers off
 */
export const MARKER = "@@LP";

export interface TimedLine {
  text: string;
  /** Milliseconds since qemu started, when the host saw the line; absent for stored transcripts. */
  atMs?: number;
}

export interface StepMarker {
  name: string;
  ok: boolean;
  detail: string;
  atMs?: number;
}

export interface OutputMarker {
  text: string;
  atMs?: number;
}

export interface ParsedMarkers {
  steps: StepMarker[];
  outputs: Map<string, OutputMarker>;
  ended: boolean;
  /** Lines that started with the marker but did not parse: a corrupted console or an /init bug. */
  malformed: string[];
}

/** Splits a console transcript into lines, dropping the serial line's CR. */
export function linesOf(transcript: string): TimedLine[] {
  return transcript.split("\n").map((text) => ({ text: text.replace(/\r/g, "") }));
}

const NAME = /^[A-Za-z0-9_.:-]+$/;

/** Parses every marker in `lines`; pure. */
export function parseMarkers(lines: readonly TimedLine[]): ParsedMarkers {
  const result: ParsedMarkers = { steps: [], outputs: new Map(), ended: false, malformed: [] };
  for (const line of lines) {
    // A kernel message printed while /init was mid-line can precede the marker on
    // the same console line, so the marker is searched, not anchored.
    const at = line.text.indexOf(MARKER + " ");
    if (at < 0) continue;
    const words = line.text
      .slice(at + MARKER.length + 1)
      .trim()
      .split(/\s+/);
    const [kind, name, arg] = words;
    if (kind === "end" && words.length === 1) {
      result.ended = true;
    } else if (
      kind === "step" &&
      name !== undefined &&
      NAME.test(name) &&
      (arg === "ok" || arg === "fail")
    ) {
      const step: StepMarker = { name, ok: arg === "ok", detail: words.slice(3).join(" ") };
      if (line.atMs !== undefined) step.atMs = line.atMs;
      result.steps.push(step);
    } else if (
      kind === "out" &&
      name !== undefined &&
      NAME.test(name) &&
      words.length <= 3 &&
      /^[A-Za-z0-9+/]*=*$/.test(arg ?? "")
    ) {
      const out: OutputMarker = { text: Buffer.from(arg ?? "", "base64").toString("utf8") };
      if (line.atMs !== undefined) out.atMs = line.atMs;
      result.outputs.set(name, out);
    } else {
      result.malformed.push(line.text);
    }
  }
  return result;
}

/**
 * The shell functions every generated /init defines; they print the markers
 * above. lp_end waits a second before it ends the VM: the serial driver may
 * still hold the last few KB /init wrote, and the kernel's "reboot:" line
 * would land inside a marker line (seen with reboot-vm's large state output
 * under TCG). It ends the VM with a reboot, which qemu's -no-reboot turns
 * into an exit: that needs no ACPI (the lab kernel has none; a power-off
 * without ACPI only halts the CPU and leaves qemu running).
 */
export const INIT_MARKER_FUNCTIONS = `
lp_step() { echo "${MARKER} step $1 $2 $(printf '%s' "$3" | tr '\\n\\r' '  ')"; }
lp_out() { echo "${MARKER} out $1 $(printf '%s' "$2" | base64 -w 0)"; }
lp_end() { echo "${MARKER} end"; sync; sleep 1; reboot -f; }
`;
