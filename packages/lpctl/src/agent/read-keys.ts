import { readFile } from "node:fs/promises";
import { LpctlError } from "../core/errors.js";
import type { AgentDeps } from "./agent-deps.js";

/** The pinned public keys (armored) named by the config, read under the root. */
export async function readPinnedKeys(deps: Pick<AgentDeps, "root" | "config">): Promise<string[]> {
  return Promise.all(
    deps.config.keys.map((k) =>
      readFile(deps.root.resolve(k), "utf8").catch((e: unknown) => {
        throw new LpctlError(
          "KEY_MISSING",
          `cannot read pinned key ${k}: ${(e as Error).message}`,
          {
            cause: e,
          },
        );
      }),
    ),
  );
}
