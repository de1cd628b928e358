/** Reading one file of a published release directory (a mirror or `--from`). */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../core/errors.js";

export const ASC_TYPE = "application/pgp-signature";
export const JSON_TYPE = "application/json";

/** The bytes of `dir/name`; a missing file means the release is incomplete. */
export async function readPublishedFile(dir: string, name: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(join(dir, name)));
  } catch (e) {
    throw new LpctlError(
      "FILE_MISSING",
      `${join(dir, name)} is missing; the directory is not a complete published release`,
      { cause: e },
    );
  }
}
