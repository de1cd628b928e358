/** `lpctl doctor`: checks this machine has every tool a build runner needs. */
import type { Command } from "commander";
import { fileExists, formatDoctor, runDoctor } from "../../builder/doctor.js";
import { execaRunner } from "../../builder/runner.js";
import { EXIT } from "../exit.js";
import type { CommandContext } from "../program.js";

export function registerDoctor(program: Command, ctx: CommandContext): void {
  program
    .command("doctor")
    .description("check the tools needed to prepare kernels, build live patches and boot-test them")
    .option("--json", "print the checks as JSON")
    .action(async (flags: { json?: boolean }) => {
      const checks = await runDoctor({ runner: execaRunner, env: process.env, fileExists });
      const ok = checks.every((c) => c.ok);
      if (flags.json) ctx.output.out(JSON.stringify({ ok, checks }, null, 2));
      else {
        for (const line of formatDoctor(checks)) ctx.output.out(line);
        ctx.output.out(
          ok
            ? "all tools present"
            : "some tools are missing: run: sudo bash scripts/install-build-deps.sh",
        );
      }
      if (!ok) ctx.setExit(EXIT.error);
    });
}
