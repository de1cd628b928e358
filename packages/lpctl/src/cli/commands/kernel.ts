/**
 * `lpctl kernel prepare`: builds (or finds in the cache) the kernel tree a
 * target describes, ready for kpatch-build.
 */
import type { Command } from "commander";
import { loadBuildInputs } from "../../builder/build/build-inputs.js";
import { resolveCacheDir } from "../../builder/cache/cache-key.js";
import { systemClock } from "../../io/clock.js";
import { prepareKernel } from "../../builder/kernel/prepare.js";
import { execaRunner } from "../../builder/runtime/runner.js";
import { LpctlError } from "../../core/errors.js";
import type { CommandContext } from "../program.js";

export interface PrepareFlags {
  target: string;
  repo: string;
  cache?: string;
  jobs?: string;
  allowToolchainMismatch?: boolean;
  json?: boolean;
}

/** --jobs as a positive integer, or undefined for "all CPUs". */
export function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1024) {
    throw new LpctlError("USAGE", `--jobs must be a positive integer, got '${value}'`);
  }
  return n;
}

export function registerKernel(program: Command, ctx: CommandContext): void {
  const kernel = program.command("kernel").description("kernel trees for kernel targets");
  kernel
    .command("prepare")
    .description("unpack, configure and build a target's kernel into the cache (no-op when cached)")
    .requiredOption("--target <id>", "kernel target id (kernels/<id>)")
    .option("--repo <dir>", "repository checkout", ".")
    .option(
      "--cache <dir>",
      "cache directory (default $LPCTL_CACHE_DIR or ~/.cache/livepatch-gitops)",
    )
    .option("--jobs <n>", "parallel make jobs (default: all CPUs)")
    .option(
      "--allow-toolchain-mismatch",
      "build even if the compiler differs from the target's pin",
    )
    .option("--json", "print the prepared kernel as JSON")
    .action(async (flags: PrepareFlags) => {
      const { target } = await loadBuildInputs(flags.repo, flags.target);
      const print = flags.json
        ? (l: string) => ctx.output.err(l)
        : (l: string) => ctx.output.out(l);
      const prepared = await prepareKernel(target, {
        runner: execaRunner,
        clock: systemClock,
        print,
        repoDir: flags.repo,
        cacheDir: resolveCacheDir(flags.cache, process.env),
        jobs: parseJobs(flags.jobs),
        allowToolchainMismatch: flags.allowToolchainMismatch ?? false,
      });
      if (flags.json) ctx.output.out(JSON.stringify(prepared, null, 2));
      else if (prepared.cached) ctx.output.out(`cached ${prepared.dir}`);
    });
}
