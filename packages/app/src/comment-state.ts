/**
 * The PR comment's sections as the app last wrote them, per pull request:
 * the source the comment is rendered from. A collaborator can edit the
 * comment but not this, so an edit (a planted "Release" section, a link) is
 * overwritten by the next update. Kept in memory and, when the app has a
 * state directory (LPCTL_APP_STATE_DIR, where no collaborator can write), in
 * `<dir>/<owner>/<repo>/comments/<n>.json`, so a restart keeps every
 * section; without one a restarted app shows the sections written since.
 */
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "@livepatch-gitops/lpctl/io/atomic-write";
import { SECTIONS, type Section, type Sections } from "./comment.js";
import { repoStateDir } from "./publish-state.js";
import type { RepoRef } from "./github/types.js";

const StoredSchema = z.partialRecord(z.enum(SECTIONS), z.string());

export class CommentState {
  readonly #byPull = new Map<string, Sections>();

  constructor(
    private readonly dir?: string,
    private readonly capacity = 10_000,
  ) {}

  /** The sections of PR `number` in `ref` with `updates` applied; remembered (and stored). */
  async update(ref: RepoRef, number: number, updates: Sections): Promise<Sections> {
    const key = `${ref.owner}/${ref.repo}#${number}`;
    const file =
      this.dir === undefined
        ? undefined
        : join(repoStateDir(this.dir, ref), "comments", `${number}.json`);
    const next: Sections = { ...(this.#byPull.get(key) ?? (file && (await readStored(file)))) };
    for (const [s, text] of Object.entries(updates) as [Section, string][]) next[s] = text;
    if (file !== undefined) {
      await mkdir(dirname(file), { recursive: true });
      await writeFileAtomic(file, `${JSON.stringify(next)}\n`, 0o600);
    }
    // Re-inserted so the least recently written pull request is dropped first.
    this.#byPull.delete(key);
    this.#byPull.set(key, next);
    if (this.#byPull.size > this.capacity)
      this.#byPull.delete(this.#byPull.keys().next().value as string);
    return next;
  }
}

/** What the app stored for one PR; a missing or unreadable file is no sections (the next write replaces it). */
async function readStored(file: string): Promise<Sections> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return {};
  try {
    return StoredSchema.parse(JSON.parse(text));
  } catch {
    return {};
  }
}
