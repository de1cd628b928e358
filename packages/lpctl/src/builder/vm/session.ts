/**
 * A VM that stays up: the guest's /init body runs a command loop on its
 * serial console, the host types commands and waits for the marker output
 * they print. The demo's host is one (sync now, show status); `bootWithInit`
 * remains the one-shot form for tests.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import { packInitramfs } from "./boot.js";
import type { BootModule } from "./boot-modules.js";
import type { InitramfsFile } from "./initramfs.js";
import { parseMarkers, type ParsedMarkers, type TimedLine } from "./markers.js";
import { consoleTail } from "./outcome.js";
import { startQemu, type Accel, type GuestForward, type QemuRun } from "./qemu.js";

export interface VmSessionOptions {
  bzImage: string;
  files?: readonly InitramfsFile[];
  /** The /init body; it should loop reading commands from stdin (the console). */
  init: string;
  /** Modules /init loads before the body (a network driver the kernel builds as a module). */
  modules?: readonly BootModule[];
  memoryMb?: number;
  /** The session's hard limit; qemu is killed after it. */
  timeoutMs: number;
  forward?: GuestForward;
  append?: string;
  accel?: Accel;
  gzipLevel?: number;
  onLine?: (line: TimedLine) => void;
  /** See QemuOptions.cleanup. */
  cleanup?: boolean;
}

export interface VmSession {
  /** Types `command` and a newline on the console. */
  send(command: string): void;
  /** The markers printed so far. */
  markers(): ParsedMarkers;
  /** Waits until output marker `name` appears (or the guest stops, or the time is up). */
  output(name: string, timeoutMs: number): Promise<string>;
  /** The console's last lines, for error messages. */
  tail(): string;
  /** Stops the guest (kills qemu) and removes the initramfs. */
  stop(): Promise<QemuRun>;
  /** Kills qemu at once (for an exit handler; leaves the initramfs). */
  kill(): void;
  initramfsBytes: number;
}

export async function startVmSession(o: VmSessionOptions): Promise<VmSession> {
  const dir = await mkdtemp(join(tmpdir(), "lpctl-vm-session-"));
  const initrd = await packInitramfs(dir, o.files ?? [], o.init, o.gzipLevel ?? 1, o.modules);
  const waiters = new Set<() => void>();
  const qemu = await startQemu({
    bzImage: o.bzImage,
    initrd: initrd.path,
    memoryMb: o.memoryMb ?? 1024,
    timeoutMs: o.timeoutMs,
    interactive: true,
    cleanup: o.cleanup ?? true,
    ...(o.forward && { forward: o.forward }),
    ...(o.append !== undefined && { append: o.append }),
    ...(o.accel !== undefined && { accel: o.accel }),
    onLine: (line) => {
      o.onLine?.(line);
      for (const w of waiters) w();
    },
  });
  let exited = false;
  const done = qemu.done.finally(() => {
    exited = true;
    for (const w of waiters) w();
  });
  const tail = () => consoleTail(qemu.lines.map((l) => l.text).join("\n"));

  return {
    initramfsBytes: initrd.bytes,
    send: (command) => qemu.write(`${command}\n`),
    kill: () => qemu.kill(),
    markers: () => parseMarkers(qemu.lines),
    tail,
    output: (name, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = parseMarkers(qemu.lines).outputs.get(name);
          if (found !== undefined) return finish(() => resolve(found.text));
          if (exited) {
            return finish(() =>
              reject(
                new LpctlError(
                  "VM_TEST_FAILED",
                  `the VM stopped before printing ${name}:\n${tail()}`,
                ),
              ),
            );
          }
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(
                new LpctlError(
                  "VM_TEST_FAILED",
                  `no ${name} from the VM within ${String(timeoutMs / 1000)} s:\n${tail()}`,
                ),
              ),
            ),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      }),
    stop: async () => {
      qemu.kill();
      try {
        return await done;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
