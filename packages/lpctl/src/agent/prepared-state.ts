/**
 * <stateDir>/prepared.json: the installed kernels a sync made ready for the
 * next boot (prepare-installed.ts), and the build-id read from each image,
 * kept by path, size and mtime so an idle sync does not decompress them
 * again. A file of its own beside state.json: it is a cache of what
 * kernels/<buildId>/ holds, never needed to apply the running kernel's
 * patch, and a corrupt one is simply rebuilt. zod/mini, as state.ts.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as z from "../core/zod-mini.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { fsStep } from "../io/fs-errors.js";
import { StoredManifestSchema } from "./state.js";

const ImageSchema = z.strictObject({
  path: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  buildId: z.string(),
});

const PreparedKernelSchema = z.strictObject({
  release: z.string(),
  /** null: the image's build-id could not be read (see error). */
  buildId: z.nullable(z.string()),
  image: z.string(),
  /** ready: manifest and module stored; not-covered: the source has no kernel-<id>.json. */
  result: z.enum(["ready", "nothing-to-apply", "not-covered", "failed"]),
  at: z.string(),
  manifest: z.optional(StoredManifestSchema),
  error: z.optional(z.strictObject({ code: z.string(), message: z.string() })),
});

const PreparedSchema = z.strictObject({
  schema: z.literal(1),
  images: z.array(ImageSchema),
  kernels: z.array(PreparedKernelSchema),
});

export type PreparedState = z.infer<typeof PreparedSchema>;
export type PreparedKernel = z.infer<typeof PreparedKernelSchema>;
export type ImageRecord = z.infer<typeof ImageSchema>;

export const EMPTY_PREPARED: PreparedState = { schema: 1, images: [], kernels: [] };

const fileOf = (stateDir: string) => path.join(stateDir, "prepared.json");

/** The stored record; EMPTY_PREPARED when there is none or it does not parse (it is rebuilt). */
export async function readPrepared(stateDir: string): Promise<PreparedState> {
  const text = await readFile(fileOf(stateDir), "utf8").catch(() => undefined);
  if (text === undefined) return EMPTY_PREPARED;
  try {
    return PreparedSchema.parse(JSON.parse(text));
  } catch {
    return EMPTY_PREPARED;
  }
}

export async function writePrepared(stateDir: string, prepared: PreparedState): Promise<void> {
  const file = fileOf(stateDir);
  await fsStep(`write ${file}`, () =>
    writeFileAtomic(file, JSON.stringify(prepared, null, 2) + "\n"),
  );
}
