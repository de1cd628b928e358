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
 * trusted runs can write (docs/building.md; `livepatch-forge --actions
 * --runner-cache` gives pull request jobs a copy-on-write view): a pull
 * request's job that can write the cache could plant a module under a key
 * a later push run uses, and the key is computable from public inputs. So
 * a build of a pull request never keeps an entry, and an entry is reused
 * only when its module and output match the record kept with them (a torn
 * or replaced entry is a miss and is built again).
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { z } from "zod";
import { join } from "node:path";
import { fsStep } from "../../io/fs-errors.js";

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

/**
 * Whether this build may add entries: not a pull request's (GitHub's and
 * the forge's runners say so in GITHUB_EVENT_NAME). Its job cannot be
 * stopped from writing a cache it can write; this keeps an honest one from
 * filling a shared cache with entries trusted runs would then read.
 */
export function mayKeep(env: NodeJS.ProcessEnv): boolean {
  return !(env.GITHUB_EVENT_NAME ?? "").startsWith("pull_request");
}

const RecordSchema = z.object({
  schema: z.literal(1),
  key: z.string(),
  module: z.object({ sha256: z.string(), length: z.number() }),
  output: z.object({ sha256: z.string() }),
});

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

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
  const raw = await readFile(join(dir, "record.json"), "utf8").catch(() => undefined);
  const lines = await readFile(join(dir, "kpatch-output.txt"), "utf8").catch(() => undefined);
  if (raw === undefined || lines === undefined) return undefined;
  let record;
  try {
    record = RecordSchema.parse(JSON.parse(raw));
  } catch {
    return undefined;
  }
  const module = await readFile(join(dir, "module.ko")).catch(() => undefined);
  // The bytes checked are the bytes written out: no second read between check and use.
  if (
    record.key !== key ||
    module === undefined ||
    module.length !== record.module.length ||
    sha256(module) !== record.module.sha256 ||
    sha256(lines) !== record.output.sha256
  ) {
    return undefined;
  }
  await fsStep(`copy the reused module to ${modulePath}`, () => writeFile(modulePath, module));
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
    const module = await readFile(modulePath);
    const output = lines.join("\n");
    await writeFile(join(tmp, "module.ko"), module);
    await writeFile(join(tmp, "kpatch-output.txt"), output);
    // The record last: its presence, matching both files, is what makes the entry whole.
    const record: z.infer<typeof RecordSchema> = {
      schema: 1,
      key,
      module: { sha256: sha256(module), length: module.length },
      output: { sha256: sha256(output) },
    };
    await writeFile(join(tmp, "record.json"), JSON.stringify(record));
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  });
}
