/**
 * Key lists kept in a directory (the publisher's, or a published one): a
 * reader for followKeyLists, and the files to publish beside a manifest.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../core/errors.js";
import type { KeyListReader } from "../core/verify/index.js";
import type { ReleaseFile } from "./release-files.js";

const KEY_LIST = /^keys-[1-9][0-9]*\.json$/;

/** Reads keys-<N>.json and its .asc from `dir`; undefined when the list is not there. */
export function dirKeyListReader(dir: string): KeyListReader {
  return async (name) => {
    const bytes = await readFile(join(dir, name)).catch(() => undefined);
    if (bytes === undefined) return undefined;
    const signature = await readFile(join(dir, `${name}.asc`)).catch(() => new Uint8Array());
    return { bytes: new Uint8Array(bytes), signature: new Uint8Array(signature) };
  };
}

/** Every key list in `dir` with its signature, in version order, as release files. */
export async function keyListFiles(dir: string): Promise<ReleaseFile[]> {
  const names = (
    await readdir(dir).catch((e: unknown) => {
      throw new LpctlError("FILE_MISSING", `cannot read ${dir}: ${String(e)}`, { cause: e });
    })
  )
    .filter((n) => KEY_LIST.test(n))
    .sort((a, b) => Number(a.slice(5, -5)) - Number(b.slice(5, -5)));
  const files: ReleaseFile[] = [];
  for (const name of names) {
    files.push({ name, bytes: await must(dir, name), contentType: "application/json" });
    files.push({
      name: `${name}.asc`,
      bytes: await must(dir, `${name}.asc`),
      contentType: "application/pgp-signature",
    });
  }
  return files;
}

async function must(dir: string, name: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(join(dir, name)));
  } catch (e) {
    throw new LpctlError("FILE_MISSING", `cannot read ${join(dir, name)}: ${String(e)}`, {
      cause: e,
    });
  }
}
