/**
 * What a prepared distro kernel keeps beside its tree (`pristine/`), besides
 * the files the lab layout has: the facts read once from Debian's packages
 * that every per-object build needs (`distro.json`).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../../io/atomic-write.js";

export const DistroFactsSchema = z.strictObject({
  /** create-diff-object's special-section struct sizes (ALT_STRUCT_SIZE=12, …), from the -dbg DWARF. */
  specialEnv: z.record(z.string(), z.string()),
  /** vermagic of Debian's own modules (from the image package). */
  vermagic: z.string().min(1),
  /** `/proc/version` of the kernel, from the vmlinuz. */
  banner: z.string().min(1),
  /** CONFIG_CC_VERSION_TEXT and the compiler driver (`gcc-12`). */
  compiler: z.string().min(1),
  cc: z.string().min(1),
});

export type DistroFacts = z.infer<typeof DistroFactsSchema>;

const file = (pristine: string): string => join(pristine, "distro.json");

export async function writeDistroFacts(pristine: string, facts: DistroFacts): Promise<void> {
  await writeFileAtomic(
    file(pristine),
    JSON.stringify(DistroFactsSchema.parse(facts), null, 2) + "\n",
  );
}

/** The facts of a prepared distro entry, or undefined when absent or damaged (then it is rebuilt). */
export async function readDistroFacts(pristine: string): Promise<DistroFacts | undefined> {
  try {
    const r = DistroFactsSchema.safeParse(JSON.parse(await readFile(file(pristine), "utf8")));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
