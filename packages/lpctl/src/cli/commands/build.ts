/**
 * `lpctl build`: the live patch module for one kernel target (by default the
 * cumulative one: every patch that targets it) plus build-report.json.
 */
import type { Command } from "commander";
import { BUILD_ENGINES, buildModule, type BuildEngine } from "../../builder/build/build.js";
import { vmTestAfterBuild } from "../../builder/build/build-vm-test.js";
import { resolveCacheDir } from "../../builder/cache/cache-key.js";
import { systemClock } from "../../io/clock.js";
import { execaRunner } from "../../builder/runtime/runner.js";
import { LpctlError } from "../../core/errors.js";
import { buildSource } from "../../builder/build/build-source.js";
import type { CommandContext } from "../program.js";
import { parseJobs } from "./kernel.js";

interface BuildFlags {
  target: string;
  patch?: string[];
  out?: string;
  repo: string;
  cache?: string;
  jobs?: string;
  serial?: string;
  sourceRepository?: string;
  sourceCommit?: string;
  sourceRef?: string;
  sourceEvent?: string;
  sourceRun?: string;
  allowToolchainMismatch?: boolean;
  vmTest?: boolean;
  engine?: string;
  json?: boolean;
}

function parseEngine(value: string | undefined): BuildEngine | undefined {
  if (value === undefined) return undefined;
  const engine = BUILD_ENGINES.find((e) => e === value);
  if (engine === undefined) {
    throw new LpctlError(
      "USAGE",
      `--engine must be one of ${BUILD_ENGINES.join(", ")}, got '${value}'`,
    );
  }
  return engine;
}

/** The manifest version: a positive integer (or a `dev...` serial for local builds). */
export function parseSerial(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,12}$/.test(value) && !/^dev[a-z0-9]{1,16}$/.test(value)) {
    throw new LpctlError(
      "USAGE",
      `--serial must be the manifest version (an integer), got '${value}'`,
    );
  }
  return value;
}

export function registerBuild(program: Command, ctx: CommandContext): void {
  program
    .command("build")
    .description("build the live patch module for a kernel target with kpatch-build")
    .requiredOption("--target <id>", "kernel target id (kernels/<id>)")
    .option("--patch <id...>", "only these patches (default: every patch targeting the kernel)")
    .option("--out <dir>", "output directory (default: out/<target>)")
    .option("--repo <dir>", "repository checkout", ".")
    .option(
      "--cache <dir>",
      "cache directory (default $LPCTL_CACHE_DIR or ~/.cache/livepatch-gitops)",
    )
    .option("--jobs <n>", "parallel make jobs (default: all CPUs)")
    .option(
      "--serial <n>",
      "manifest version used in the module name (default: dev + hash of the patch set)",
    )
    .option(
      "--allow-toolchain-mismatch",
      "build even if the compiler differs from the target's pin",
    )
    .option(
      "--vm-test",
      "boot the module in qemu on the target kernel and run the patches' test: checks",
    )
    .option(
      "--engine <name>",
      "kpatch-build (default for kernels built here) or per-object (default for distribution kernels)",
    )
    .option("--source-repository <owner/name>", "repository built (default $GITHUB_REPOSITORY)")
    .option("--source-commit <sha>", "commit built (default $GITHUB_SHA)")
    .option("--source-ref <ref>", "ref built (default $GITHUB_REF)")
    .option("--source-event <event>", "event that started the build (default $GITHUB_EVENT_NAME)")
    .option("--source-run <id>", "workflow run (default $GITHUB_RUN_ID)")
    .option("--json", "print the build report as JSON on stdout (progress goes to stderr)")
    .action(async (flags: BuildFlags) => {
      const print = flags.json
        ? (l: string) => ctx.output.err(l)
        : (l: string) => ctx.output.out(l);
      const source = buildSource(process.env, {
        ...(flags.sourceRepository ? { repository: flags.sourceRepository } : {}),
        ...(flags.sourceCommit ? { commit: flags.sourceCommit } : {}),
        ...(flags.sourceRef ? { ref: flags.sourceRef } : {}),
        ...(flags.sourceEvent ? { event: flags.sourceEvent } : {}),
        ...(flags.sourceRun ? { workflowRun: flags.sourceRun } : {}),
      });
      const result = await buildModule({
        runner: execaRunner,
        clock: systemClock,
        print,
        env: process.env,
        repoDir: flags.repo,
        cacheDir: resolveCacheDir(flags.cache, process.env),
        targetId: flags.target,
        patchIds: flags.patch,
        outDir: flags.out ?? `out/${flags.target}`,
        jobs: parseJobs(flags.jobs),
        serial: parseSerial(flags.serial),
        allowToolchainMismatch: flags.allowToolchainMismatch ?? false,
        ...(source ? { source } : {}),
        ...(flags.vmTest ? { afterBuild: vmTestAfterBuild(print) } : {}),
        ...(flags.engine !== undefined ? { engine: parseEngine(flags.engine) } : {}),
      });
      if (flags.json) ctx.output.out(JSON.stringify(result.report, null, 2));
    });
}
