import { readFile } from "node:fs/promises";
import { fsStep } from "../../io/fs-errors.js";

/** The armored public keys in `files` (--key), each read error a KEY_MISSING naming the file. */
export function readKeyFiles(files: readonly string[]): Promise<string[]> {
  return Promise.all(
    files.map((f) =>
      fsStep(`read the public key ${f}`, () => readFile(f, "utf8"), {
        code: "KEY_MISSING",
        missing: "KEY_MISSING",
      }),
    ),
  );
}
