/**
 * The previous manifest a publish builds on, from --previous FILE (+ FILE.asc)
 * or a published directory (--from, or the --to mirror). Whatever the source,
 * it is verified with the publisher's own key(s) first: its version decides
 * the next one, and module names are checked against it.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../core/errors.js";
import type { Manifest } from "../core/manifest.js";
import { checkOwnSignature } from "./check-own-signature.js";

export interface PreviousSource {
  /** A manifest file; its signature is FILE.asc. */
  file?: string;
  /** A published directory; `required` says whether it must hold a manifest. */
  dir?: string;
  required?: boolean;
}

/** The verified previous manifest, or undefined when the source has none (a first publish). */
export async function previousManifest(
  source: PreviousSource,
  keys: readonly string[],
): Promise<Manifest | undefined> {
  if (source.file !== undefined) {
    const bytes = await readOrFail(source.file, "--previous");
    const signature = await readFile(`${source.file}.asc`).catch(() => undefined);
    return checkOwnSignature(bytes, signature && new Uint8Array(signature), keys, source.file);
  }
  if (source.dir === undefined) return undefined;
  const manifest = await readFile(join(source.dir, "manifest.json")).catch(() => undefined);
  if (manifest === undefined) {
    if (source.required)
      throw new LpctlError("FILE_MISSING", `${source.dir} holds no manifest.json`);
    return undefined; // a new mirror directory: this is version 1
  }
  const signature = await readFile(join(source.dir, "manifest.json.asc")).catch(() => undefined);
  return checkOwnSignature(
    new Uint8Array(manifest),
    signature && new Uint8Array(signature),
    keys,
    join(source.dir, "manifest.json"),
  );
}

async function readOrFail(file: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new LpctlError("FILE_MISSING", `cannot read ${what} ${file}: ${String(e)}`, {
      cause: e,
    });
  }
}
