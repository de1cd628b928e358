/** Armored public keys from files: the keys a publisher signed with before a rotation. */
import { readFile } from "node:fs/promises";
import { LpctlError } from "../core/errors.js";

/** The text of each key file; a missing one is KEY_MISSING naming it. */
export async function readKeyFiles(files: readonly string[]): Promise<string[]> {
  return Promise.all(
    files.map((f) =>
      readFile(f, "utf8").catch((e: unknown) => {
        throw new LpctlError("KEY_MISSING", `cannot read the key ${f}: ${String(e)}`, {
          cause: e,
        });
      }),
    ),
  );
}
