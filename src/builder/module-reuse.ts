/**
 * Reusing a module kpatch-build already made from exactly the same inputs:
 * the prepared kernel (its cache key covers source, config and compiler),
 * the kpatch-build version, the module name and every patch's bytes in
 * order. kpatch-build's output is a function of those (the reproducible
 * module test builds twice and compares sha256), so a hit skips ~45 s of
 * work and changes nothing else: lint, strip, modinfo, the VM test and the
 * report all run as usual.
 *
 * Off unless LPCTL_REUSE_MODULES=1, and meant for runners whose cache only
 * trusted runs can write (docs/building.md): a pull request's job that can
 * write the cache could plant a module under a key a later push run uses.
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fsStep } from "../io/fs-errors.js";

export interface ReuseKeyInputs {
  kernelKey: string;
  kpatchVersion: string;
  name: string;
  patches: readonly { id: string; sha256: string }[];
}

/** Bumped when the way a module is made changes without any input changing. */
const RECIPE = 1;

export function reuseEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.LPCTL_REUSE_MODULES === "1";
}

export function reuseKey(i: ReuseKeyInputs): string {
  const h = createHash("sha256");
  h.update(JSON.stringify([RECIPE, i.kernelKey, i.kpatchVersion, i.name, i.patches]));
  return h.digest("hex");
}

function entryDir(cacheDir: string, key: string): string {
  return join(cacheDir, "modules", key);
}

/** The stored kpatch-build output for `key`, copied to `modulePath`; undefined on a miss. */
export async function takeReused(
  cacheDir: string,
  key: string,
  modulePath: string,
): Promise<{ lines: string[] } | undefined> {
  const dir = entryDir(cacheDir, key);
  const lines = await readFile(join(dir, "kpatch-output.txt"), "utf8").catch(() => undefined);
  if (lines === undefined) return undefined;
  try {
    await copyFile(join(dir, "module.ko"), modulePath);
  } catch {
    return undefined;
  }
  return { lines: lines.split("\n") };
}

/** Keeps a successful kpatch-build's module and output under `key` (written whole, then renamed). */
export async function keepForReuse(
  cacheDir: string,
  key: string,
  modulePath: string,
  lines: readonly string[],
): Promise<void> {
  const dir = entryDir(cacheDir, key);
  const tmp = `${dir}.tmp-${String(process.pid)}`;
  await fsStep(`keep ${modulePath} in ${dir}`, async () => {
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await copyFile(modulePath, join(tmp, "module.ko"));
    // The output file last: its presence is what marks the entry whole.
    await writeFile(join(tmp, "kpatch-output.txt"), lines.join("\n"));
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  });
}
