/**
 * Collects the files an upload-artifact `path:` names and zips them with
 * yazl, named relative to their common root as actions/upload-artifact names
 * them. A symlink is followed only when its target stays inside that root.
 */
import { createWriteStream } from "node:fs";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import path from "node:path";
import { ZipFile } from "yazl";

export interface ZipEntry {
  /** File to read. */
  source: string;
  /** Name in the zip, `/`-separated, relative. */
  name: string;
}

export interface Collected {
  entries: ZipEntry[];
  /** Paths that do not exist, and symlinks skipped because they leave the root. */
  skipped: string[];
}

/** The common root: a single directory itself, else the deepest common ancestor directory. */
export function uploadRoot(paths: readonly string[], dirs: ReadonlySet<string>): string {
  if (paths.length === 1 && dirs.has(paths[0])) return paths[0];
  const parts = paths.map((p) => path.dirname(p).split(path.sep));
  const first = parts[0] ?? [];
  let n = first.length;
  for (const p of parts) {
    let i = 0;
    while (i < n && p[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join(path.sep) || path.sep;
}

export async function collect(paths: readonly string[]): Promise<Collected> {
  const skipped: string[] = [];
  const existing: string[] = [];
  const dirs = new Set<string>();
  for (const p of paths) {
    const s = await stat(p).catch(() => undefined);
    if (s === undefined) skipped.push(p);
    else {
      existing.push(p);
      if (s.isDirectory()) dirs.add(p);
    }
  }
  if (existing.length === 0) return { entries: [], skipped };
  const root = uploadRoot(existing, dirs);
  const realRoot = await realpath(root);
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  const add = async (p: string): Promise<void> => {
    const l = await lstat(p);
    if (l.isSymbolicLink()) {
      const target = await realpath(p).catch(() => "");
      const inside = target.startsWith(`${realRoot}${path.sep}`);
      const ts = inside ? await stat(target) : undefined;
      if (ts?.isFile() !== true) {
        skipped.push(p);
        return;
      }
    } else if (l.isDirectory()) {
      for (const child of (await readdir(p)).sort()) await add(path.join(p, child));
      return;
    } else if (!l.isFile()) {
      return;
    }
    const name = path.relative(root, p).split(path.sep).join("/");
    if (!seen.has(name)) {
      seen.add(name);
      entries.push({ source: p, name });
    }
  };
  for (const p of existing) await add(p);
  return { entries, skipped };
}

export async function writeZip(entries: readonly ZipEntry[], file: string): Promise<number> {
  const zip = new ZipFile();
  for (const e of entries) zip.addFile(e.source, e.name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
  return (await stat(file)).size;
}
