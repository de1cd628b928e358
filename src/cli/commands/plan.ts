/**
 * `lpctl plan`: which kernel targets a change between two commits affects,
 * for build.yml's plan job (the app computes the same plan from the API).
 */
import type { Command } from "commander";
import { LpctlError } from "../../core/errors.js";
import { MAX_MATRIX_JOBS, planBuild, type BuildPlan } from "../../core/plan.js";
import type { CommandContext } from "../program.js";
import { integer } from "./parse-flags.js";
import { changedPaths, isNullSha, readPlanTree } from "./plan-git.js";

interface PlanFlags {
  base?: string;
  head: string;
  repo: string;
  json?: boolean;
  maxJobs: string;
  chunk?: string;
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
      } else if (flags.json) ctx.output.out(JSON.stringify(plan, null, 2));
      else {
        for (const t of plan.targets) ctx.output.out(`${t}: ${plan.reasons[t]?.join("; ") ?? ""}`);
        ctx.output.out(
          `${plan.targets.length} target(s) in ${plan.chunks.length} matrix chunk(s)${plan.removedTargets.length ? `; removed: ${plan.removedTargets.join(", ")}` : ""}`,
        );
      }
    });
}
