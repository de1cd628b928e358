/**
 * Key lists kept in a directory (the publisher's, or a published one): a
 * reader for followKeyLists, and the files to publish beside a manifest.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../core/errors.js";
import { KeyListSchema } from "../core/key-list.js";
import { parseStrictJson } from "../core/strict-json.js";
import { fingerprintOf, readTrustedKeys, type KeyListReader } from "../core/verify/index.js";
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

/**
 * The publisher's own sanity check before signing: its key must be in the
 * newest key list in `dir`, or every host that follows the chain refuses
 * what it is about to sign. (Hosts do the real check; this one only spares a
 * broken release.) Returns that list's version, the manifest's `keys` (0:
 * no list, the hosts' pinned keys).
 */
export async function checkSignerListed(dir: string, fingerprint: string): Promise<number> {
  const files = await keyListFiles(dir);
  const newest = files.filter((f) => f.name.endsWith(".json")).at(-1);
  if (newest === undefined) return 0;
  const parsed = KeyListSchema.safeParse(
    parseStrictJson(newest.bytes, newest.name, {
      malformed: "KEY_LIST_INVALID",
      duplicate: "KEY_LIST_INVALID",
    }),
  );
  if (!parsed.success) {
    throw new LpctlError("KEY_LIST_INVALID", `${join(dir, newest.name)} is not a valid key list`);
  }
  const keys = await readTrustedKeys(parsed.data.keys);
  if (!keys.some((k) => fingerprintOf(k) === fingerprint.toUpperCase())) {
    throw new LpctlError(
      "KEY_INVALID",
      `the signing key ${fingerprint} is not in ${join(dir, newest.name)} (key list version ${parsed.data.version}); hosts following the key lists would refuse this release: sign with a listed key or rotate first (lpctl keys rotate)`,
    );
  }
  return parsed.data.version;
}
