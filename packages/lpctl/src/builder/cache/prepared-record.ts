/**
 * `prepared.json`: written last into a cache entry, it is what makes the
 * entry count as prepared. Read back with a schema so a damaged entry is
 * rebuilt instead of trusted.
 */
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { join } from "node:path";
import { z } from "zod";

export const PreparedSchema = z.strictObject({
  schema: z.literal(1),
  target: z.string(),
  key: z.string().regex(/^[0-9a-f]{64}$/),
  source: z.string(),
  release: z.string().min(1),
  arch: z.string(),
  buildId: z.string().regex(/^[0-9a-f]+$/),
  compiler: z.string(),
  timings: z.record(z.string(), z.number()),
  preparedAt: z.string(),
});

export type PreparedRecord = z.infer<typeof PreparedSchema>;

/** Layout of one kernel cache entry. */
export function entryPaths(dir: string): {
  tree: string;
  pristine: string;
  record: string;
  log: string;
} {
  return {
    tree: join(dir, "tree"),
    pristine: join(dir, "pristine"),
    record: join(dir, "prepared.json"),
    log: join(dir, "prepare.log"),
  };
}

export async function readPrepared(dir: string): Promise<PreparedRecord | undefined> {
  try {
    const raw = await readFile(entryPaths(dir).record, "utf8");
    const parsed = PreparedSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writePrepared(dir: string, record: PreparedRecord): Promise<void> {
  const path = entryPaths(dir).record;
  await writeFileAtomic(path, JSON.stringify(PreparedSchema.parse(record), null, 2) + "\n");
}
