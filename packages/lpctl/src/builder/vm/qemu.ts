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
  /**
   * A guest network that reaches exactly one loopback port: qemu's user
   * network with restrict=on (no route out, no host services) and a single
   * guestfwd from `guestAddr:guestPort` to 127.0.0.1:`hostPort`. Only for
   * guests running trusted code (the demo's host); vm-test never has one.
   */
  forward?: GuestForward;
  /** Keep stdin open so the caller can type on the guest's console (startQemu's `write`). */
  interactive?: boolean;
  /** execa's kill-on-exit (default true); false when the caller kills qemu itself (demo/processes.ts says why). */
  cleanup?: boolean;
}

export interface GuestForward {
  guestAddr: string;
  guestPort: number;
  hostPort: number;
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

/** The qemu command line; pure. No network device unless `forward` asks for its one port. */
export function qemuArgs(o: QemuOptions, accel: Accel): string[] {
  const append = ["console=ttyS0", "panic=-1", "quiet", o.append ?? ""].join(" ").trim();
  return [
    ...(accel === "kvm" ? ["-enable-kvm", "-cpu", "host"] : ["-accel", "tcg"]),
    ["-m", String(o.memoryMb)],
    ["-smp", "1", "-nographic", "-no-reboot", ...networkArgs(o.forward), "-monitor", "none"],
    ["-kernel", o.bzImage, "-initrd", o.initrd, "-append", append],
  ].flat();
}

function networkArgs(f: GuestForward | undefined): string[] {
  if (f === undefined) return ["-nic", "none"];
  for (const port of [f.guestPort, f.hostPort]) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new LpctlError("USAGE", `guest forward: ${String(port)} is not a TCP port`);
    }
  }
  if (!/^10\.0\.2\.\d{1,3}$/.test(f.guestAddr)) {
    throw new LpctlError("USAGE", `guest forward: ${f.guestAddr} is not in qemu's 10.0.2.0/24`);
  }
  // qemu (libslirp) starts this command per guest connection, the connection
  // on its stdin/stdout, and it relays to the loopback port. The socket
  // chardev form of guestfwd connects once and serves a single guest
  // connection (qemu 7.2: a second HTTP request hung), which an HTTP
  // client's several requests cannot live with. Commas are doubled for
  // qemu's option parser; libslirp splits the command like a shell.
  if (/[\s'",]/.test(process.execPath)) {
    throw new LpctlError("USAGE", `guest forward: cannot pass ${process.execPath} to qemu`);
  }
  const relay = `const s = require("net").connect(${String(f.hostPort)}, "127.0.0.1"); process.stdin.pipe(s); s.pipe(process.stdout); s.on("error", () => process.exit(1));`;
  const cmd = `${process.execPath} -e '${relay}'`.replaceAll(",", ",,");
  const fwd = `guestfwd=tcp:${f.guestAddr}:${String(f.guestPort)}-cmd:${cmd}`;
  // romfile= : no iPXE option ROM, which only slows the boot of a guest that never netboots.
  return [
    "-netdev",
    `user,id=net0,restrict=on,${fwd}`,
    "-device",
    "virtio-net-pci,netdev=net0,romfile=",
  ];
}

export interface QemuHandle {
  /** Console lines so far (grows while qemu runs). */
  lines: TimedLine[];
  /** Types on the guest's serial console (needs `interactive`). */
  write(text: string): void;
  /** Kills qemu (SIGKILL: the guest has nothing to save). */
  kill(): void;
  done: Promise<QemuRun>;
}

/** Boots qemu once and returns the console transcript; never throws for guest failures. */
export async function runQemu(o: QemuOptions): Promise<QemuRun> {
  return (await startQemu(o)).done;
}

/** Starts qemu; `done` settles with the transcript when it exits (it throws only when qemu cannot run). */
export async function startQemu(o: QemuOptions): Promise<QemuHandle> {
  const accel = o.accel ?? (await defaultAccel());
  const started = Date.now();
  const lines: TimedLine[] = [];
  let partial = "";
  let stderr = "";
  let timedOut = false;
  let graceTimer: NodeJS.Timeout | undefined;

  const child = execa(o.qemuBinary ?? "qemu-system-x86_64", qemuArgs(o, accel), {
    stdin: o.interactive === true ? "pipe" : "ignore",
    cleanup: o.cleanup ?? true,
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
  // A write after qemu exited must not crash the caller's process.
  child.stdin?.on("error", () => undefined);

  const done = (async (): Promise<QemuRun> => {
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
  })();
  return {
    lines,
    write: (text) => {
      child.stdin?.write(text);
    },
    kill: () => child.kill("SIGKILL"),
    done,
  };
}
