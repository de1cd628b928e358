import { createWriteStream } from "node:fs";
import { lstat, readdir, readlink, stat } from "node:fs/promises";
import { join, posix } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { LpctlError } from "../../core/errors.js";
import { fsStep } from "../../io/fs-errors.js";
import { cpioChunks, type CpioEntry } from "./cpio.js";

/**
 * What goes into a VM's root filesystem, by absolute in-VM path:
 * a host file (`source`), literal `content`, a `symlink`, a host directory
 * copied recursively (`tree`), an empty `dir`, or a character device node
 * (the kernel needs `/dev/console` before devtmpfs is mounted).
 */
export type InitramfsFile =
  | { path: string; source: string; mode?: number }
  | { path: string; content: string | Uint8Array; mode?: number }
  | { path: string; symlink: string }
  | { path: string; tree: string }
  | { path: string; dir: true; mode?: number }
  | { path: string; chardev: { major: number; minor: number }; mode?: number };

export interface InitramfsResult {
  path: string;
  bytes: number;
  entries: number;
}

function badPath(path: string): LpctlError {
  return new LpctlError(
    "VM_INPUT_INVALID",
    `bad initramfs path '${path}': use an absolute path inside the VM without '..'`,
    { details: { path } },
  );
}

function relName(path: string): string {
  // ".." would be clamped at "/" by normalize; refuse it so a typo never lands a file elsewhere.
  if (path.split("/").includes("..")) throw badPath(path);
  const norm = posix
    .normalize("/" + path)
    .replace(/^\/+/, "")
    .replace(/\/+$/, "");
  if (norm === "") throw badPath(path);
  return norm;
}

async function treeEntries(
  hostDir: string,
  name: string,
  out: Map<string, CpioEntry>,
): Promise<void> {
  for (const dirent of await readdir(hostDir, { withFileTypes: true })) {
    const host = join(hostDir, dirent.name);
    const child = `${name}/${dirent.name}`;
    const st = await lstat(host);
    if (st.isSymbolicLink()) {
      out.set(child, { kind: "symlink", name: child, target: await readlink(host) });
    } else if (st.isDirectory()) {
      out.set(child, { kind: "dir", name: child, mode: st.mode & 0o7777 });
      await treeEntries(host, child, out);
    } else if (st.isFile()) {
      out.set(child, {
        kind: "file",
        name: child,
        mode: st.mode & 0o7777,
        size: st.size,
        source: host,
      });
    }
  }
}

/**
 * Turns the file list into archive members: later files win over earlier
 * ones with the same path, every parent directory is created, and members are
 * sorted so parents come first and the archive is reproducible.
 */
export async function resolveEntries(files: readonly InitramfsFile[]): Promise<CpioEntry[]> {
  const byName = new Map<string, CpioEntry>();
  for (const f of files) {
    const name = relName(f.path);
    if ("source" in f) {
      // follows symlinks: ldd names links to libraries
      const st = await fsStep(`read ${f.source} for the VM's ${f.path}`, () => stat(f.source));
      byName.set(name, {
        kind: "file",
        name,
        mode: f.mode ?? st.mode & 0o7777,
        size: st.size,
        source: f.source,
      });
    } else if ("content" in f) {
      const data = typeof f.content === "string" ? Buffer.from(f.content, "utf8") : f.content;
      byName.set(name, { kind: "bytes", name, mode: f.mode ?? 0o644, data });
    } else if ("symlink" in f) {
      byName.set(name, { kind: "symlink", name, target: f.symlink });
    } else if ("tree" in f) {
      byName.set(name, { kind: "dir", name, mode: 0o755 });
      await fsStep(`read the directory ${f.tree} for the VM`, () =>
        treeEntries(f.tree, name, byName),
      );
    } else if ("chardev" in f) {
      byName.set(name, { kind: "chardev", name, mode: f.mode ?? 0o600, ...f.chardev });
    } else {
      byName.set(name, { kind: "dir", name, mode: f.mode ?? 0o755 });
    }
  }
  // The kernel's unpacker does not create missing parents: a file whose
  // directory was never listed is silently dropped.
  for (const name of [...byName.keys()]) {
    const parts = name.split("/");
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join("/");
      if (!byName.has(parent)) byName.set(parent, { kind: "dir", name: parent, mode: 0o755 });
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Writes a gzipped newc initramfs with `files` to `outPath`. */
export async function buildInitramfs(
  files: readonly InitramfsFile[],
  outPath: string,
  options: { gzipLevel?: number } = {},
): Promise<InitramfsResult> {
  const entries = await resolveEntries(files);
  const { size } = await fsStep(`write the initramfs ${outPath}`, async () => {
    await pipeline(
      Readable.from(cpioChunks(entries)),
      createGzip({ level: options.gzipLevel ?? 6 }),
      createWriteStream(outPath),
    );
    return stat(outPath);
  });
  return { path: outPath, bytes: size, entries: entries.length };
}
