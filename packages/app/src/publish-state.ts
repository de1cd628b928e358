/**
 * The app's own record of what it published, per repository, in its data
 * directory (LPCTL_APP_STATE_DIR) where no collaborator can write: a mirror
 * of the newest release it signed (manifest, signatures, modules; written by
 * the same writeMirror as `lpctl publish --to`) and `published.json` with
 * the version, tag and commit. Deleting or re-flagging releases on GitHub
 * cannot move it back, so a version number is never reused and carried
 * modules never come from a release someone could have replaced.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import type { Manifest } from "@livepatch-gitops/lpctl/core/manifest";
import { writeFileAtomic } from "@livepatch-gitops/lpctl/io/atomic-write";
import { previousManifest } from "@livepatch-gitops/lpctl/publisher/previous-manifest";
import type { RepoRef } from "./github/types.js";

export const RECORD_FILE = "published.json";

const RecordSchema = z.strictObject({
  version: z.number().int().min(1),
  tag: z.string().regex(/^v[1-9][0-9]*$/),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
});

export type PublishRecord = z.infer<typeof RecordSchema>;

export interface RepoState {
  /** The repository's mirror directory inside the state directory. */
  dir: string;
  /** The newest manifest the app published, verified with its own key(s). */
  manifest?: Manifest;
  record?: PublishRecord;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/** The state directory of `ref` under `root`. */
export function repoStateDir(root: string | undefined, ref: RepoRef): string {
  if (root === undefined || root === "")
    throw new LpctlError(
      "APP_STATE_INVALID",
      "LPCTL_APP_STATE_DIR is not set: the app keeps what it published there (a directory only the app can write) and refuses to sign without it",
    );
  for (const part of [ref.owner, ref.repo])
    if (!NAME.test(part) || part === "." || part === "..")
      throw new LpctlError("APP_STATE_INVALID", `'${part}' is not a repository name`);
  return join(root, ref.owner, ref.repo);
}

/** The record and verified manifest in `dir`; both absent before the first publish. */
export async function readRepoState(dir: string, keys: readonly string[]): Promise<RepoState> {
  const text = await readFile(join(dir, RECORD_FILE), "utf8").catch(() => undefined);
  if (text === undefined) return { dir };
  let record: PublishRecord;
  try {
    record = RecordSchema.parse(JSON.parse(text));
  } catch (e) {
    throw new LpctlError(
      "APP_STATE_INVALID",
      `${join(dir, RECORD_FILE)} is not a valid publish record; restore it from a backup (the app refuses to guess which version it published)`,
      { cause: e },
    );
  }
  const manifest = await previousManifest({ dir, required: true }, keys);
  if (manifest?.version !== record.version)
    throw new LpctlError(
      "APP_STATE_INVALID",
      `${dir}: ${RECORD_FILE} says version ${record.version}, its manifest.json is version ${manifest?.version ?? "?"}; restore the directory from a backup`,
    );
  return { dir, manifest, record };
}

/** Records `record` as published; written after the mirror, atomically. */
export async function writeRecord(dir: string, record: PublishRecord): Promise<void> {
  await writeFileAtomic(
    join(dir, RECORD_FILE),
    new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`),
  );
}

/** A module file of the recorded manifest, from the mirror; undefined when absent. */
export async function stateModule(dir: string, file: string): Promise<Uint8Array | undefined> {
  const bytes = await readFile(join(dir, file)).catch(() => undefined);
  return bytes && new Uint8Array(bytes);
}
