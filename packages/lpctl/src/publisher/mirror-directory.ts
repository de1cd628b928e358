/**
 * A mirror directory: the files of the latest release, flat, as a plain
 * HTTP server or file:// path serves them to hosts.
 *
 * Order (each file via temp file + rename, fsynced): modules and their
 * signatures, VEX documents and build reports; then every other manifest,
 * its `.asc` before the `.json`; `manifest.json` last. Each of these three
 * steps writes up to WRITE_CONCURRENCY files at once and ends with one fsync
 * of the directory, so a step is on disk before the next starts. A reader
 * never sees a manifest naming a module that is not there yet. A signature and its manifest cannot be swapped together,
 * so a reader that fetches X.json and then X.json.asc across a swap sees a
 * mismatch; the agent fetches both again once before it refuses.
 *
 * Modules the previous manifest names are kept until the next publish, so
 * hosts that read the previous manifest a moment ago still find them.
 */
import { readdir, readFile, rm, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../core/errors.js";
import { ManifestSchema, type Manifest } from "../core/manifest.js";
import { syncDirectory, writeFileAtomic } from "../io/atomic-write.js";
import type { ReleaseFile } from "./release-files.js";
import { fsStep } from "../io/fs-errors.js";

export interface MirrorResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

/** Writes `files` (one release) into `dir` in the safe order, then removes what no manifest needs. */
export async function writeMirror(
  dir: string,
  files: readonly ReleaseFile[],
  log: (line: string) => void = () => undefined,
): Promise<MirrorResult> {
  await fsStep(`create the mirror directory ${dir}`, () => mkdir(dir, { recursive: true }));
  const previous = await readManifestIn(dir);
  const result: MirrorResult = { written: [], unchanged: [], removed: [] };
  try {
    const written = new Set<string>();
    const write = async (file: ReleaseFile): Promise<void> => {
      const current = await readFile(join(dir, file.name)).catch(() => undefined);
      if (current !== undefined && Buffer.compare(current, file.bytes) === 0) return;
      await writeFileAtomic(join(dir, file.name), file.bytes, 0o644, { syncDirectory: false });
      written.add(file.name);
    };
    for (const step of writeSteps(files)) {
      await eachLimit(step, WRITE_CONCURRENCY, async (chain) => {
        for (const file of chain) await write(file);
      });
      await syncDirectory(dir);
    }
    for (const file of writeOrder(files))
      (written.has(file.name) ? result.written : result.unchanged).push(file.name);
    result.removed = await removeUnreferenced(dir, files, previous);
  } catch (e) {
    if (e instanceof LpctlError) throw e;
    throw new LpctlError(
      "MIRROR_FAILED",
      `cannot write the mirror in ${dir}: ${String(e)}; fix the directory and run again (writing is idempotent)`,
      { cause: e },
    );
  }
  log(
    `mirror ${dir}: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed`,
  );
  return result;
}

/** Files written at once in one step; fsyncs overlap on the disk. */
const WRITE_CONCURRENCY = 16;

/**
 * writeOrder as steps of chains: the files of a chain are written in order,
 * the chains of a step at once. Modules and other files (one-file chains);
 * every manifest but manifest.json as its `.asc` then its `.json`;
 * manifest.json the same, alone.
 */
export function writeSteps(files: readonly ReleaseFile[]): ReleaseFile[][][] {
  const others: ReleaseFile[][] = [];
  const manifests = new Map<string, ReleaseFile[]>();
  const last: ReleaseFile[] = [];
  for (const file of writeOrder(files)) {
    const base = file.name.replace(/\.asc$/, "");
    if (base === "manifest.json") last.push(file);
    else if (/^(kernel-.*|manifest\..+)\.json$/.test(base)) {
      const chain = manifests.get(base) ?? [];
      manifests.set(base, chain);
      chain.push(file);
    } else others.push([file]);
  }
  const sigFirst = (chain: ReleaseFile[]): ReleaseFile[] =>
    [...chain].sort((a, b) => Number(b.name.endsWith(".asc")) - Number(a.name.endsWith(".asc")));
  return [others, [...manifests.values()].map(sigFirst), last.length ? [sigFirst(last)] : []];
}

/** Runs `task` on every item, at most `limit` at a time; after a failure starts no more, waits for the running ones, throws the first error. */
async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++];
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

/** Modules and other files first, then each manifest's signature before the manifest, manifest.json last. */
export function writeOrder(files: readonly ReleaseFile[]): ReleaseFile[] {
  const key = (name: string): [number, string] => {
    const base = name.replace(/\.asc$/, "");
    const sigFirst = name.endsWith(".asc") ? "0" : "1";
    if (base === "manifest.json") return [3, sigFirst];
    if (/^kernel-.*\.json$/.test(base)) return [2, `${base}/${sigFirst}`];
    return [name.startsWith("build-report-") ? 1 : 0, ""];
  };
  // Array.prototype.sort is stable: modules keep their given order.
  return [...files].sort((a, b) => {
    const [ga, ka] = key(a.name);
    const [gb, kb] = key(b.name);
    return ga - gb || (ka < kb ? -1 : ka > kb ? 1 : 0);
  });
}

/** The manifest currently in `dir`, or undefined when there is none (or it is unreadable). */
export async function readManifestIn(dir: string): Promise<Manifest | undefined> {
  const text = await readFile(join(dir, "manifest.json"), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return ManifestSchema.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

const OURS =
  /^(.*\.ko(\.asc)?|(?:kernel|vex)-[0-9a-f]+\.json(\.asc)?|build-report-.*\.json|\..*\.tmp-\d+-[0-9a-f]+)$/;

/** Deletes our kinds of files that neither the new release nor the previous manifest's modules need. */
async function removeUnreferenced(
  dir: string,
  files: readonly ReleaseFile[],
  previous: Manifest | undefined,
): Promise<string[]> {
  const keep = new Set(files.map((f) => f.name));
  for (const { module: m } of previous?.kernels ?? []) if (m) keep.add(m.file).add(`${m.file}.asc`);
  const removed: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (keep.has(name) || !OURS.test(name)) continue;
    await rm(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
