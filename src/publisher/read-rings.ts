/** The rings file of a checkout (`lpctl publish --checkout DIR`): undefined when it has none. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../core/errors.js";
import { parseRingsFile, RINGS_PATH, type RingsFile } from "../core/rings.js";
import type { ReleaseStore } from "./release-store.js";
import type { RingsInput } from "./ring-releases.js";
import { storeRingSource } from "./ring-source.js";

/** `<checkout>/.github/livepatch-rings.yml`, parsed and checked. */
export async function readRingsFile(checkout: string): Promise<RingsFile | undefined> {
  const file = join(checkout, RINGS_PATH);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new LpctlError("IO_FAILED", `cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  return parseRingsFile(file, text);
}

/** The rings input for publishNext: later rings are read back from `store`'s releases. */
export function ringsInput(
  file: RingsFile,
  store: ReleaseStore | undefined,
  ownKeys: readonly string[],
): RingsInput {
  if (store) return { file, source: storeRingSource(store, ownKeys) };
  return {
    file,
    source: {
      release: (n) =>
        Promise.reject(
          new LpctlError(
            "USAGE",
            `${RINGS_PATH} has a ring at release v${n}: later rings are read from the releases they name, so publish with --github (or remove the later rings)`,
          ),
        ),
    },
  };
}
