import { constants } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { execa } from "execa";
import { LpctlError } from "../../core/errors.js";
import type { TimedLine } from "./markers.js";

export type Accel = "kvm" | "tcg";

// ESC [ … letter, ESC c (terminal reset), and CR.
const ESCAPES = new RegExp(String.raw`\u001b(\[[0-9;?]*[A-Za-z]|c)|\r`, "g");

export interface QemuOptions {
  bzImage: string;
  initrd: string;
  /** Appended to the fixed "console=ttyS0 panic=-1 quiet". */
  append?: string;
  memoryMb: number;
  /** Hard limit: qemu is killed when it runs longer. */
  timeoutMs: number;
  /** Default: kvm when /dev/kvm is usable (or LPCTL_VM_ACCEL says), else tcg. */
  accel?: Accel;
  /** Called for every console line as it arrives (progress, early stop). */
  onLine?: (line: TimedLine) => void;
  /**
   * A line after which the guest is expected to stop on its own (end marker,
   * panic); qemu gets `graceMs` to exit and is killed after that, so a guest
   * whose power-off does not work costs seconds, not the whole timeout.
   */
  stopAfter?: (line: string) => boolean;
  graceMs?: number;
  qemuBinary?: string;
}

export interface QemuRun {
  lines: TimedLine[];
  transcript: string;
  /** qemu's own stderr: accelerator and image errors end up there, not on the console. */
  stderr: string;
  timedOut: boolean;
  exitCode: number | undefined;
  durationMs: number;
  accel: Accel;
}

/**
 * kvm only when /dev/kvm opens read-write AND the CPU advertises vmx/svm:
 * some sandboxes expose a /dev/kvm on which guests hang before the first
 * console byte (seen on the project machines), which would turn every VM
 * test into a timeout. LPCTL_VM_ACCEL=kvm|tcg overrides.
 */
export async function defaultAccel(env: NodeJS.ProcessEnv = process.env): Promise<Accel> {
  const forced = env.LPCTL_VM_ACCEL;
  if (forced === "kvm" || forced === "tcg") return forced;
  try {
    await access("/dev/kvm", constants.R_OK | constants.W_OK);
    const cpuinfo = await readFile("/proc/cpuinfo", "utf8");
    return /^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo) ? "kvm" : "tcg";
  } catch {
    return "tcg";
  }
}

/** The qemu command line; pure. No network device, ever: the guest runs untrusted test code. */
export function qemuArgs(o: QemuOptions, accel: Accel): string[] {
  const append = ["console=ttyS0", "panic=-1", "quiet", o.append ?? ""].join(" ").trim();
  return [
    ...(accel === "kvm" ? ["-enable-kvm", "-cpu", "host"] : ["-accel", "tcg"]),
    ["-m", String(o.memoryMb)],
    ["-smp", "1", "-nographic", "-no-reboot", "-nic", "none", "-monitor", "none"],
    ["-kernel", o.bzImage, "-initrd", o.initrd, "-append", append],
  ].flat();
}

/** Boots qemu once and returns the console transcript; never throws for guest failures. */
export async function runQemu(o: QemuOptions): Promise<QemuRun> {
  const accel = o.accel ?? (await defaultAccel());
  const started = Date.now();
  const lines: TimedLine[] = [];
  let partial = "";
  let stderr = "";
  let timedOut = false;
  let graceTimer: NodeJS.Timeout | undefined;

  const child = execa(o.qemuBinary ?? "qemu-system-x86_64", qemuArgs(o, accel), {
    stdin: "ignore",
    buffer: false,
    reject: false,
  });
  const hardTimer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, o.timeoutMs);

  const pushLine = (raw: string): void => {
    // Firmware screen-control escapes and the serial line's CR are noise in a transcript.
    const text = raw.replace(ESCAPES, "");
    const line: TimedLine = { text, atMs: Date.now() - started };
    lines.push(line);
    o.onLine?.(line);
    if (graceTimer === undefined && o.stopAfter?.(line.text) === true) {
      graceTimer = setTimeout(() => child.kill("SIGKILL"), o.graceMs ?? 5000);
    }
  };
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    parts.forEach(pushLine);
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
  });

  try {
    const result = await child;
    if (result.failed && result.exitCode === undefined && result.signal === undefined) {
      throw new LpctlError(
        "TOOL_MISSING",
        `cannot run qemu: ${result.message}; install qemu-system-x86`,
        {
          cause: result,
        },
      );
    }
    if (partial !== "") pushLine(partial);
    return {
      lines,
      transcript: lines.map((l) => l.text).join("\n"),
      stderr,
      timedOut,
      exitCode: result.exitCode,
      durationMs: Date.now() - started,
      accel,
    };
  } finally {
    clearTimeout(hardTimer);
    if (graceTimer !== undefined) clearTimeout(graceTimer);
  }
}
