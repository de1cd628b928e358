/** Whether the rings file differs between the commit the app published last and `head`. */
import { ringsTextAt } from "./rings-at.js";
import type { Octokit, RepoRef } from "./types.js";

/** True when `head`'s rings file is not `base`'s (added, removed or edited); false without a base. */
export async function ringsChanged(
  octokit: Octokit,
  ref: RepoRef,
  base: string | undefined,
  head: string,
): Promise<boolean> {
  if (base === undefined) return false;
  const [before, after] = await Promise.all([
    ringsTextAt(octokit, ref, base),
    ringsTextAt(octokit, ref, head),
  ]);
  return before !== after;
}
