/**
 * A mirror directory: the files of the latest release, flat, as a plain
 * HTTP server or file:// path serves them to hosts.
 *
 * Order (each file via temp file + rename): modules and their signatures,
 * build reports, then for every manifest its `.asc` before the `.json`, and
 * `manifest.json` last. A reader never sees a manifest naming a module that
 * is not there yet. A signature and its manifest cannot be swapped together,
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
import { writeFileAtomic } from "../io/atomic-write.js";
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
    for (const file of writeOrder(files)) {
      const current = await readFile(join(dir, file.name)).catch(() => undefined);
      if (current !== undefined && Buffer.compare(current, file.bytes) === 0) {
        result.unchanged.push(file.name);
        continue;
      }
      await writeFileAtomic(join(dir, file.name), file.bytes);
      result.written.push(file.name);
    }
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
