import { execa } from "execa";
import { translateProcessError } from "../../io/process-errors.js";
import type { InitramfsFile } from "./initramfs.js";

/** Debian's busybox-static: one static binary, so the VM needs no libc for /init. */
export const DEFAULT_BUSYBOX = "/bin/busybox";

/**
 * The minimal root: busybox with a symlink per applet it was built with, the
 * mount points /init uses, and /dev/console (the kernel opens it for init's
 * stdio before anything could mount devtmpfs).
 */
export async function baseRootFiles(busybox = DEFAULT_BUSYBOX): Promise<InitramfsFile[]> {
  let list: string;
  try {
    list = (await execa(busybox, ["--list"])).stdout;
  } catch (e) {
    throw translateProcessError(e, `${busybox} --list`, "install busybox-static");
  }
  const applets = list
    .split("\n")
    .map((s) => s.trim())
    .filter((s) => /^[\w.[\]-]+$/.test(s) && s !== "busybox");
  return [
    { path: "/bin/busybox", source: busybox, mode: 0o755 },
    ...applets.map((a): InitramfsFile => ({ path: `/bin/${a}`, symlink: "busybox" })),
    { path: "/sbin", symlink: "bin" },
    { path: "/usr/bin", symlink: "../bin" },
    { path: "/usr/sbin", symlink: "../bin" },
    { path: "/proc", dir: true },
    { path: "/sys", dir: true },
    { path: "/dev", dir: true },
    { path: "/dev/console", chardev: { major: 5, minor: 1 } },
    { path: "/dev/null", chardev: { major: 1, minor: 3 }, mode: 0o666 },
    { path: "/tmp", dir: true, mode: 0o1777 },
    { path: "/root", dir: true, mode: 0o700 },
  ];
}

/**
 * Library paths from `ldd` output: "name => /path (0x…)" lines and the
 * loader's own "/lib64/ld-linux… (0x…)" line; the vDSO has no file.
 */
export function parseLdd(text: string): string[] {
  const paths: string[] = [];
  for (const line of text.split("\n")) {
    const m =
      /=>\s*(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line) ?? /^\s*(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (m?.[1] !== undefined && !paths.includes(m[1])) paths.push(m[1]);
  }
  return paths;
}

/**
 * A dynamically linked program and every library `ldd` lists, each at its
 * host path, so the loader finds them in the VM exactly where it looks on
 * the host. `nodeRuntimeFiles()` = the running node.
 */
export async function programFiles(program: string, vmPath = program): Promise<InitramfsFile[]> {
  const { stdout } = await execa("ldd", [program]).catch((e: unknown) => {
    throw translateProcessError(e, `ldd ${program}`, "install libc-bin (ldd)");
  });
  return [
    { path: vmPath, source: program, mode: 0o755 },
    ...parseLdd(stdout).map((p): InitramfsFile => ({ path: p, source: p, mode: 0o755 })),
  ];
}

/** The node binary running this process, plus its libraries, at /usr/local/bin/node. */
export function nodeRuntimeFiles(nodePath = process.execPath): Promise<InitramfsFile[]> {
  return programFiles(nodePath, "/usr/local/bin/node");
}
