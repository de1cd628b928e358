/**
 * The V8 code cache of the single-file agent: what V8 compiled on one run
 * (the bundle's bytecode), kept in <state dir>/code-cache so the next run
 * skips parsing and compiling ~1 MB of JavaScript. Only an optimisation: a
 * missing, stale or damaged cache is ignored (and rewritten), never an
 * error. Each file is named by the bundle's hash and the Node version, and
 * carries a sha256 of its payload, because V8 itself checks only the
 * source's length, its own version and flags.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_STATE_DIR, rootFromEnv } from "./host-root.js";

const DIGEST_BYTES = 32;

/**
 * The cache directory for a command line: code-cache in the default state
 * dir under --root (or $LPCTL_ROOT). Read before commander parses argv, so
 * it looks only for `--root DIR` and `--root=DIR`.
 */
export function codeCacheDir(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  let option: string | undefined;
  argv.forEach((a, i) => {
    if (a === "--root" && i + 1 < argv.length) option = argv[i + 1];
    else if (a.startsWith("--root=")) option = a.slice("--root=".length);
  });
  return path.join(rootFromEnv(option, env).resolve(DEFAULT_STATE_DIR), "code-cache");
}

const fileName = (id: string) => `agent-${id}-${process.version}-${process.arch}.bin`;
const digest = (data: Uint8Array) => createHash("sha256").update(data).digest();

/** The cached bytecode for bundle `id`, or undefined when there is none or it is damaged. */
export function readCodeCache(dir: string, id: string): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(path.join(dir, fileName(id)));
  } catch {
    return undefined;
  }
  const data = file.subarray(DIGEST_BYTES);
  if (data.length === 0 || !digest(data).equals(file.subarray(0, DIGEST_BYTES))) return undefined;
  return data;
}

/**
 * Stores bytecode for bundle `id` (atomically) and removes the caches of
 * other bundles and Node versions. `produce` runs only if the directory can
 * be made: the state dir must exist (the units create it) and be writable.
 * Returns whether a cache was written.
 */
export function writeCodeCache(dir: string, id: string, produce: () => Buffer): boolean {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") return false;
  }
  const name = fileName(id);
  const tmp = path.join(dir, `.${name}.${process.pid}`);
  try {
    const data = produce();
    writeFileSync(tmp, Buffer.concat([digest(data), data]), { mode: 0o600 });
    renameSync(tmp, path.join(dir, name));
    for (const other of readdirSync(dir))
      if (other !== name && other.startsWith("agent-"))
        rmSync(path.join(dir, other), { force: true });
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing more to undo: the next run tries again.
    }
    return false;
  }
}
