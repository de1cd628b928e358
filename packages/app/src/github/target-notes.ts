/**
 * What the plan section can say about each planned target from its
 * target.yaml alone (the app never downloads Debian's packages): the same
 * note `lpctl plan` prints when its cache lacks the target's config.
 */
import { imageTargetNote } from "@livepatch-gitops/lpctl/core/engine-support";
import { TargetSchema } from "@livepatch-gitops/lpctl/core/target";
import { parseYaml } from "@livepatch-gitops/lpctl/core/yaml-input";
import { readFileAt } from "./repo-reader.js";
import type { Octokit, RepoRef } from "./types.js";

/** Target id → note, for the planned targets that have one. */
export async function targetNotes(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  targets: readonly string[],
): Promise<Record<string, string>> {
  const notes: Record<string, string> = {};
  for (const id of targets) {
    const f = await readFileAt(octokit, ref, `kernels/${id}/target.yaml`, sha);
    if (f?.text === undefined) continue;
    const parsed = TargetSchema.safeParse(parseYaml("target.yaml", f.text).value);
    const note = parsed.success ? imageTargetNote(parsed.data) : undefined;
    if (note !== undefined) notes[id] = note;
  }
  return notes;
}
