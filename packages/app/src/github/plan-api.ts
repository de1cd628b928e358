/** The build plan of a pull request or a push, read through the API: the same pure plan as `lpctl plan`. */
import { planBuild, type BuildPlan } from "@livepatch-gitops/lpctl/core/plan";
import { patchIdsIn, planTree, type PlanTree } from "@livepatch-gitops/lpctl/core/plan-tree";
import { listTreePaths, readFileAt } from "./repo-reader.js";
import type { Octokit, RepoRef } from "./types.js";

/** The plan for `changed` between `base` (merge base) and `head`. */
export async function planFromApi(
  octokit: Octokit,
  ref: RepoRef,
  base: string,
  head: string,
  changed: readonly string[],
): Promise<{ plan: BuildPlan; headPaths: string[]; headTree: PlanTree }> {
  const [basePaths, headPaths] = await Promise.all([
    listTreePaths(octokit, ref, base),
    listTreePaths(octokit, ref, head),
  ]);
  const touched = new Set(patchIdsIn(changed.map((p) => p.replace(/\/[^/]+$/, "/patch.yaml"))));
  // A new or deleted target can change what an untouched patch's glob matches:
  // then every patch.yaml is read; otherwise only the touched ones. The head's
  // are always all read: a target no patch targets any more is not built.
  const targetsMoved = changed.some((p) => p.startsWith("kernels/") && p.endsWith("/target.yaml"));
  const [baseTree, headTree] = await Promise.all([
    apiPlanTree(octokit, ref, base, basePaths, (id) => targetsMoved || touched.has(id)),
    apiPlanTree(octokit, ref, head, headPaths, () => true),
  ]);
  return { plan: planBuild({ changed, base: baseTree, head: headTree }), headPaths, headTree };
}

/** The plan's view of the tree at `sha` (listing `paths`), reading the patch.yaml of the patches `read` picks. */
export async function apiPlanTree(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  paths: readonly string[],
  read: (id: string) => boolean,
): Promise<PlanTree> {
  const texts = new Map<string, string>();
  await Promise.all(
    patchIdsIn(paths)
      .filter(read)
      .map(async (id) => {
        const f = await readFileAt(octokit, ref, `patches/${id}/patch.yaml`, sha);
        if (f?.text !== undefined) texts.set(id, f.text);
      }),
  );
  return planTree(paths, texts);
}
