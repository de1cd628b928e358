import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildInitramfs, type InitramfsFile } from "./initramfs.js";
import {
  INIT_MARKER_FUNCTIONS,
  MARKER,
  parseMarkers,
  type ParsedMarkers,
  type TimedLine,
} from "./markers.js";
import { classifyBoot, consoleTail, type BootOutcome } from "./outcome.js";
import { runQemu, type Accel } from "./qemu.js";
import { baseRootFiles } from "./rootfs.js";
import { bootModuleFiles, bootModuleInit, type BootModule } from "./boot-modules.js";

export interface BootOptions {
  bzImage: string;
  /** Extra files (modules, a node runtime from nodeRuntimeFiles(), an app bundle, a file:// mirror tree). */
  files?: readonly InitramfsFile[];
  /** Shell script body run by /init after the prelude; see bootWithInit. */
  init: string;
  /** Modules /init loads before the body, in order (see boot-modules.ts). */
  modules?: readonly BootModule[];
  memoryMb?: number;
  timeoutMs?: number;
  /** Extra kernel command line words. */
  append?: string;
  accel?: Accel;
  /** gzip level for the initramfs: 1 is much faster for a 100 MB node binary. */
  gzipLevel?: number;
  onLine?: (line: TimedLine) => void;
}

export interface BootResult {
  outcome: BootOutcome;
  markers: ParsedMarkers;
  transcript: string;
  consoleTail: string;
  /** qemu's stderr (accelerator or image problems). */
  stderr: string;
  accel: Accel;
  initramfsBytes: number;
  /** Time to pack the initramfs, and from qemu start to exit. */
  packMs: number;
  durationMs: number;
}

/** The full /init: mounts, marker functions, a "boot" step, the body, then the end marker and power-off. */
export function composeInit(body: string, modules: readonly BootModule[] = []): string {
  return [
    "#!/bin/sh",
    "export PATH=/bin:/usr/local/bin",
    "mount -t proc proc /proc",
    "mount -t sysfs sysfs /sys",
    // CONFIG_DEVTMPFS_MOUNT does not apply to an initramfs root.
    "mount -t devtmpfs devtmpfs /dev 2>/dev/null",
    INIT_MARKER_FUNCTIONS.trim(),
    ...bootModuleInit(modules),
    'lp_step boot ok "$(uname -r)"',
    body.trim(),
    "lp_end",
    "",
  ].join("\n");
}

/** The busybox root, `files`, and /init made from `init`, packed into `dir`/initramfs.gz. */
export async function packInitramfs(
  dir: string,
  files: readonly InitramfsFile[],
  init: string,
  gzipLevel: number,
  modules: readonly BootModule[] = [],
): Promise<{ path: string; bytes: number }> {
  const all: InitramfsFile[] = [
    ...(await baseRootFiles()),
    ...bootModuleFiles(modules),
    ...files,
    { path: "/init", content: composeInit(init, modules), mode: 0o755 },
  ];
  return buildInitramfs(all, join(dir, "initramfs.gz"), { gzipLevel });
}

/**
 * Boots `bzImage` in qemu with a busybox initramfs plus `files`, and runs
 * `init` as the body of /init. Public API for the agent's VM tests.
 *
 * The body runs under busybox `sh` with PATH=/bin:/usr/local/bin, /proc,
 * /sys and /dev mounted. It reports with shell functions that print markers
 * (see markers.ts): `lp_step NAME ok|fail "detail"`, `lp_out NAME "$text"`
 * and `lp_end` (end marker + power-off; appended after the body, call it
 * earlier to stop). The result carries the parsed markers, the transcript
 * and how the boot ended; it does not throw for guest failures (panic,
 * timeout, missing end marker) — callers judge `outcome` and the steps.
 * No network device is ever attached; give the guest a file:// mirror tree.
 */
export async function bootWithInit(o: BootOptions): Promise<BootResult> {
  const dir = await mkdtemp(join(tmpdir(), "lpctl-vm-"));
  try {
    const packStart = Date.now();
    const initrd = await packInitramfs(dir, o.files ?? [], o.init, o.gzipLevel ?? 6, o.modules);
    const packMs = Date.now() - packStart;
    const run = await runQemu({
      bzImage: o.bzImage,
      initrd: initrd.path,
      memoryMb: o.memoryMb ?? 512,
      timeoutMs: o.timeoutMs ?? 120_000,
      ...(o.append !== undefined && { append: o.append }),
      ...(o.accel !== undefined && { accel: o.accel }),
      ...(o.onLine !== undefined && { onLine: o.onLine }),
      stopAfter: (line) => line.includes(`${MARKER} end`) || line.includes("Kernel panic"),
    });
    const markers = parseMarkers(run.lines);
    return {
      outcome: classifyBoot(run.transcript, markers, run.timedOut),
      markers,
      transcript: run.transcript,
      consoleTail: consoleTail(run.transcript),
      stderr: run.stderr,
      accel: run.accel,
      initramfsBytes: initrd.bytes,
      packMs,
      durationMs: run.durationMs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
