/**
 * `lpctl plan`: which kernel targets a change between two commits affects,
 * for build.yml's plan job (the app computes the same plan from the API).
 */
import type { Command } from "commander";
import { LpctlError } from "../../core/errors.js";
import { MAX_MATRIX_JOBS, planBuild, type BuildPlan } from "../../core/plan.js";
import { resolveCacheDir } from "../../builder/cache/cache-key.js";
import { cachedTargetVerdict, type TargetVerdict } from "../../builder/distro/target-verdict.js";
import { execaRunner } from "../../builder/runtime/runner.js";
import type { CommandContext } from "../program.js";
import { integer } from "./parse-flags.js";
import { changedPaths, isNullSha, readPlanTree, readTargetAt } from "./plan-git.js";

interface PlanFlags {
  base?: string;
  head: string;
  repo: string;
  json?: boolean;
  maxJobs: string;
  chunk?: string;
  cache?: string;
}

/**
 * What the cache already knows about each planned target (a Debian kernel
 * this engine cannot patch, from its config): the build still runs and
 * refuses within seconds, so the plan's matrix and the build checks stay
 * one per target.
 */
export async function planVerdicts(
  flags: Pick<PlanFlags, "repo" | "head" | "cache">,
  targets: readonly string[],
): Promise<Record<string, TargetVerdict>> {
  const cacheDir = resolveCacheDir(flags.cache, process.env);
  const out: Record<string, TargetVerdict> = {};
  for (const id of targets) {
    const target = await readTargetAt(flags.repo, flags.head, id);
    const v = target && (await cachedTargetVerdict(execaRunner, cacheDir, target));
    if (v) out[id] = v;
  }
  return out;
}

/** The plan between `flags.base` and `flags.head`; no base plans every target. */
export async function runPlan(flags: PlanFlags): Promise<BuildPlan> {
  const maxJobs = integer(flags.maxJobs, "--max-jobs");
  const head = await readPlanTree(flags.repo, flags.head);
  if (isNullSha(flags.base)) return planBuild({ changed: [], head, maxJobs });
  const base = flags.base as string;
  return planBuild({
    changed: await changedPaths(flags.repo, base, flags.head),
    base: await readPlanTree(flags.repo, base),
    head,
    maxJobs,
  });
}

export function registerPlan(program: Command, ctx: CommandContext): void {
  program
    .command("plan")
    .description("list the kernel targets a change between two commits affects")
    .option("--base <sha>", "the commit before the change (none or zeros: every target)")
    .requiredOption("--head <sha>", "the commit after the change")
    .option("--repo <dir>", "repository checkout with both commits", ".")
    .option("--json", "print the whole plan as JSON")
    .option("--max-jobs <n>", "targets per build matrix", String(MAX_MATRIX_JOBS))
    .option("--chunk <n>", "print only matrix chunk N (0-based) as a JSON array")
    .option(
      "--cache <dir>",
      "kernel cache whose Debian configs say which targets this engine cannot patch (default $LPCTL_CACHE_DIR or ~/.cache/livepatch-gitops)",
    )
    .action(async (flags: PlanFlags) => {
      const plan = await runPlan(flags);
      if (flags.chunk !== undefined) {
        const n = integer(flags.chunk, "--chunk");
        if (n >= Math.max(plan.chunks.length, 1))
          throw new LpctlError(
            "USAGE",
            `--chunk ${n}: the plan has ${plan.chunks.length} chunk(s)`,
          );
        ctx.output.out(JSON.stringify(plan.chunks[n] ?? []));
        return;
      }
      const verdicts = await planVerdicts(flags, plan.targets);
      if (flags.json) ctx.output.out(JSON.stringify({ ...plan, verdicts }, null, 2));
      else {
        for (const t of plan.targets) {
          ctx.output.out(`${t}: ${plan.reasons[t]?.join("; ") ?? ""}`);
          const v = verdicts[t];
          if (v) ctx.output.out(`  ${v.line}`);
        }
        ctx.output.out(
          `${plan.targets.length} target(s) in ${plan.chunks.length} matrix chunk(s)${plan.removedTargets.length ? `; removed: ${plan.removedTargets.join(", ")}` : ""}${plan.emptied.length ? `; left without a module (no active patch): ${plan.emptied.join(", ")}` : ""}`,
        );
      }
    });
}
