/** `lpctl doctor`: checks this machine has every tool a build runner needs. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { resolveCacheDir } from "../../builder/cache/cache-key.js";
import { formatDoctor, runDoctor } from "../../builder/doctor/doctor.js";
import { loadRepository } from "../../builder/repo/read-repo.js";
import { execaRunner } from "../../builder/runtime/runner.js";
import { debianDeps } from "../../builder/source/source.js";
import { EXIT } from "../exit.js";
import type { CommandContext } from "../program.js";

interface DoctorFlags {
  json?: boolean;
  repo: string;
  cache?: string;
}

export function registerDoctor(program: Command, ctx: CommandContext): void {
  program
    .command("doctor")
    .description(
      "check the tools needed to prepare kernels, build live patches and boot-test them, and that each kernel target's pinned source and compiler are obtainable",
    )
    .option("--repo <dir>", "repository checkout whose kernel targets are checked", ".")
    .option(
      "--cache <dir>",
      "cache directory (default $LPCTL_CACHE_DIR or ~/.cache/livepatch-gitops)",
    )
    .option("--json", "print the checks as JSON")
    .action(async (flags: DoctorFlags) => {
      const targets = existsSync(join(flags.repo, "kernels"))
        ? (await loadRepository(flags.repo)).targets
        : undefined;
      const checks = await runDoctor({
        runner: execaRunner,
        env: process.env,
        ...(targets ? { targets } : {}),
        debian: debianDeps(execaRunner, resolveCacheDir(flags.cache, process.env)),
      });
      const ok = checks.every((c) => c.ok);
      if (flags.json) ctx.output.out(JSON.stringify({ ok, checks }, null, 2));
      else {
        for (const line of formatDoctor(checks)) ctx.output.out(line);
        ctx.output.out(ok ? "all checks passed" : "some checks failed: see the fix after each");
      }
      if (!ok) ctx.setExit(EXIT.error);
    });
}
