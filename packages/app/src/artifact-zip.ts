/**
 * Reads an Actions artifact zip from memory, refusing what could hurt the
 * app: a pull request's build produced it, so every entry is untrusted. Caps
 * the entry count, each entry's and the total uncompressed size (checked
 * while inflating, not only as declared), and refuses `..`, absolute paths,
 * backslashes, symlinks and other special files, and duplicate names.
 */
import { fromBuffer, type Entry, type ZipFile } from "yauzl";
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

/** A build artifact holds a report, a module and a few logs. */
export const ARTIFACT_LIMITS: ZipLimits = {
  maxEntries: 64,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
};

/**
 * Files by their path in the zip; throws ARTIFACT_UNSAFE naming `what` and
 * the reason. Every entry's name and type is checked; only those `keep`
 * accepts (default: all) are inflated and returned.
 */
export async function readArtifactZip(
  bytes: Uint8Array,
  what: string,
  limits: ZipLimits = ARTIFACT_LIMITS,
  keep: (path: string) => boolean = () => true,
): Promise<Map<string, Uint8Array>> {
  const refuse = (why: string, cause?: unknown): never => {
    throw new LpctlError("ARTIFACT_UNSAFE", `artifact ${what}: ${why}; the artifact was refused`, {
      ...(cause === undefined ? {} : { cause }),
    });
  };
  const zip = await open(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).catch(
    (e: unknown) => refuse(`not a valid zip (${e instanceof Error ? e.message : String(e)})`, e),
  );
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    refuse(`${zip.entryCount} entries; at most ${limits.maxEntries} are accepted`);
  }
  const files = new Map<string, Uint8Array>();
  const seen = new Set<string>();
  let total = 0;
  // yauzl refuses some names itself (`..`, absolute): the same refusal, coded.
  const nextEntry = () =>
    next(zip).catch((e: unknown) =>
      refuse(
        `has an entry that cannot be read safely (${e instanceof Error ? e.message : String(e)})`,
        e,
      ),
    );
  try {
    for (let entry = await nextEntry(); entry !== undefined; entry = await nextEntry()) {
      const name = entry.fileName;
      const why = nameProblem(name) ?? typeProblem(entry);
      if (why) refuse(`${JSON.stringify(name)} ${why}`);
      if (name.endsWith("/")) continue;
      if (seen.has(name)) refuse(`${JSON.stringify(name)} appears twice`);
      seen.add(name);
      if (!keep(name)) continue;
      if (entry.uncompressedSize > limits.maxEntryBytes)
        refuse(
          `${name} is ${entry.uncompressedSize} bytes; an entry may have at most ${limits.maxEntryBytes}`,
        );
      const data = await inflate(zip, entry, limits.maxEntryBytes, refuse);
      total += data.length;
      if (total > limits.maxTotalBytes)
        refuse(`more than ${limits.maxTotalBytes} bytes uncompressed in total`);
      files.set(name, data);
    }
  } finally {
    zip.close();
  }
  return files;
}

function open(buffer: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    fromBuffer(
      buffer,
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: true },
      (err, zip) => (err ? reject(err) : resolve(zip)),
    );
  });
}

function next(zip: ZipFile): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = () =>
      zip.removeAllListeners("entry").removeAllListeners("end").removeAllListeners("error");
    zip.once("entry", (e: Entry) => (cleanup(), resolve(e)));
    zip.once("end", () => (cleanup(), resolve(undefined)));
    zip.once("error", (e: Error) => (cleanup(), reject(e)));
    zip.readEntry();
  });
}

function nameProblem(name: string): string | undefined {
  if (name === "" || name.includes("\0")) return "is not a file name";
  if (name.includes("\\")) return "contains a backslash";
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) return "is an absolute path";
  if (name.split("/").some((p) => p === "..")) return "climbs out of the artifact with '..'";
  return undefined;
}

/** Unix mode from the external attributes: only regular files and directories pass. */
function typeProblem(entry: Entry): string | undefined {
  if (entry.isEncrypted()) return "is encrypted";
  const madeBy = entry.versionMadeBy >> 8;
  if (madeBy !== 3) return undefined; // not Unix: no mode bits to read
  const type = (entry.externalFileAttributes >>> 16) & 0o170000;
  if (type === 0 || type === 0o100000 || type === 0o040000) return undefined;
  return type === 0o120000 ? "is a symbolic link" : "is not a regular file";
}

async function inflate(
  zip: ZipFile,
  entry: Entry,
  max: number,
  refuse: (why: string, cause?: unknown) => never,
): Promise<Uint8Array> {
  const stream = await zip
    .openReadStreamPromise(entry)
    .catch((e: unknown) => refuse(`cannot read ${entry.fileName}`, e));
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer;
      n += b.length;
      if (n > max) {
        stream.destroy();
        refuse(`${entry.fileName} inflates to more than ${max} bytes`);
      }
      chunks.push(b);
    }
  } catch (e) {
    if (e instanceof LpctlError) throw e;
    refuse(`${entry.fileName} is corrupt (${e instanceof Error ? e.message : String(e)})`, e);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
