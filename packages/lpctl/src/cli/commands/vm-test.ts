/**
 * `lpctl vm-test`: boot the target kernel in qemu (no network), load the
 * live patch module, check the patch's effect, revert and unload it.
 */
import type { Command } from "commander";
import { resolveCacheDir } from "../../builder/cache/cache-key.js";
import { systemClock } from "../../io/clock.js";
import { execaRunner } from "../../builder/runtime/runner.js";
import { formatVmReport } from "../../builder/vm/format.js";
import { flagCheck, pristineBzImage, repoChecks } from "../../builder/vm/vm-test-inputs.js";
import { vmTestError } from "../../builder/vm/vm-test-report.js";
import { vmTest } from "../../builder/vm/vm-test.js";
import { LpctlError } from "../../core/errors.js";
import type { CommandContext } from "../program.js";

interface VmTestFlags {
  target: string;
  module: string;
  bzimage?: string;
  expectCommand?: string;
  expect?: string;
  repo: string;
  cache?: string;
  timeout: string;
  memory: string;
  json?: boolean;
}

function positiveInt(value: string, flag: string): number {
  if (!/^[1-9][0-9]{0,5}$/.test(value))
    throw new LpctlError("USAGE", `${flag} must be a positive integer, got '${value}'`);
  return Number(value);
}

export function registerVmTest(program: Command, ctx: CommandContext): void {
  program
    .command("vm-test")
    .description(
      "boot the target kernel in qemu, apply and revert the live patch module, run its checks",
    )
    .requiredOption("--target <id>", "kernel target id (kernels/<id>)")
    .requiredOption("--module <file>", "the live patch module (.ko)")
    .option(
      "--bzimage <file>",
      "kernel image (default: the target's pristine bzImage from the build cache)",
    )
    .option(
      "--expect-command <cmd>",
      "command run in the VM (default: the patches' test: sections)",
    )
    .option("--expect <text>", "text the command prints only while the patch is applied")
    .option("--repo <dir>", "repository checkout", ".")
    .option(
      "--cache <dir>",
      "cache directory (default $LPCTL_CACHE_DIR or ~/.cache/livepatch-gitops)",
    )
    .option("--timeout <s>", "hard limit for the VM run, seconds", "300")
    .option("--memory <mb>", "VM memory, MB", "512")
    .option("--json", "print the report as JSON on stdout (progress goes to stderr)")
    .action(async (flags: VmTestFlags) => {
      const print = flags.json
        ? (l: string) => ctx.output.err(l)
        : (l: string) => ctx.output.out(l);
      const timeoutMs = positiveInt(flags.timeout, "--timeout") * 1000;
      const memoryMb = positiveInt(flags.memory, "--memory");
      const flagged = flagCheck(flags.expectCommand, flags.expect);
      const checks = flagged !== undefined ? [flagged] : await repoChecks(flags.repo, flags.target);
      if (checks.length === 0)
        print(
          "note: no test command (no --expect, no test: in the patches); only load/unload is checked",
        );
      const bzImage =
        flags.bzimage ??
        (await pristineBzImage(flags.target, {
          runner: execaRunner,
          clock: systemClock,
          print,
          cacheDir: resolveCacheDir(flags.cache, process.env),
          repoDir: flags.repo,
        }));
      print(
        `vm-test ${flags.module} on ${bzImage} (${memoryMb} MB, timeout ${timeoutMs / 1000} s)`,
      );
      const report = await vmTest({
        bzImage,
        module: flags.module,
        tests: checks,
        timeoutMs,
        memoryMb,
      });
      for (const line of formatVmReport(report)) print(line);
      const err = vmTestError(report.steps, report.consoleTail);
      // --json: one document on stdout, the report or the error (carrying the report).
      if (err !== undefined) {
        throw flags.json
          ? new LpctlError(err.code, err.message, { details: { ...err.details, report } })
          : err;
      }
      if (flags.json) ctx.output.out(JSON.stringify(report, null, 2));
    });
}
