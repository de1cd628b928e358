/** The patch style a repository checkout asks for: `patchStyle` in its `.github/livepatch.yml`. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CONFIG_PATH, parseAppConfig } from "../../core/livepatch-config.js";
import type { PatchStyle } from "../../core/lint/patch-style.js";

/** Undefined when the checkout has no configuration or it names no style; an invalid file throws APP_CONFIG_INVALID. */
export async function repoPatchStyle(repo: string): Promise<PatchStyle | undefined> {
  const file = join(repo, CONFIG_PATH);
  const text = await readFile(file, "utf8").catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  });
  return text === undefined ? undefined : parseAppConfig(text, file).patchStyle;
}
