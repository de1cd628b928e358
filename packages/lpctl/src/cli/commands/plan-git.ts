/** Reads what the build plan needs from a git repository: changed paths and both trees. */
import { LpctlError } from "../../core/errors.js";
import { patchIdsIn, planTree, type PlanTree } from "../../core/plan-tree.js";
import { TargetSchema, type KernelTarget } from "../../core/target.js";
import { parseYaml } from "../../core/yaml-input.js";
import { execaRunner, type Runner } from "../../builder/runtime/runner.js";

const SHA_RE = /^[0-9a-f]{7,64}$/i;

/** True when `sha` names no base (a first push sends forty zeros). */
export function isNullSha(sha: string | undefined): boolean {
  return sha === undefined || sha === "" || /^0+$/.test(sha);
}

/** git with argument arrays; a failure is a coded error naming the command. */
async function git(repo: string, args: string[], runner: Runner): Promise<string> {
  const r = await runner.run("git", ["-C", repo, ...args]);
  if (r.exitCode !== 0) {
    throw new LpctlError(
      "TOOL_FAILED",
      `git ${args.join(" ")} failed in ${repo}: ${r.stderr.trim() || `exit ${r.exitCode}`}; fetch both commits (actions/checkout with fetch-depth: 0)`,
    );
  }
  return r.stdout;
}

function checkSha(sha: string, flag: string): string {
  if (!SHA_RE.test(sha)) throw new LpctlError("USAGE", `${flag} must be a commit id, not '${sha}'`);
  return sha;
}

/** Paths that differ between `base` and `head`; renames count as a delete and an add. */
export async function changedPaths(
  repo: string,
  base: string,
  head: string,
  runner: Runner = execaRunner,
): Promise<string[]> {
  const out = await git(
    repo,
    [
      "diff",
      "--name-only",
      "-z",
      "--no-renames",
      checkSha(base, "--base"),
      checkSha(head, "--head"),
      "--",
    ],
    runner,
  );
  return out.split("\0").filter((p) => p !== "");
}

/** The plan's view of the tree at `sha`. */
export async function readPlanTree(
  repo: string,
  sha: string,
  runner: Runner = execaRunner,
): Promise<PlanTree> {
  const listing = await git(
    repo,
    [
      "ls-tree",
      "-r",
      "--name-only",
      "-z",
      checkSha(sha, "--base/--head"),
      "--",
      "kernels",
      "patches",
    ],
    runner,
  );
  const paths = listing.split("\0").filter((p) => p !== "");
  const texts = new Map<string, string>();
  for (const id of patchIdsIn(paths))
    texts.set(id, await git(repo, ["show", `${sha}:patches/${id}/patch.yaml`], runner));
  return planTree(paths, texts);
}

/** kernels/<id>/target.yaml at `sha`, or undefined when it is not a valid target (validate reports that). */
export async function readTargetAt(
  repo: string,
  sha: string,
  id: string,
  runner: Runner = execaRunner,
): Promise<KernelTarget | undefined> {
  const text = await git(
    repo,
    ["show", `${checkSha(sha, "--head")}:kernels/${id}/target.yaml`],
    runner,
  );
  const { value } = parseYaml("target.yaml", text);
  const parsed = TargetSchema.safeParse(value);
  return parsed.success ? { id, ...parsed.data } : undefined;
}
