import type { Command } from "commander";
import { formatStatus, collectStatus } from "../../agent/status.js";
import type { StatusVerdict } from "../../agent/status-report.js";
import { printableJson } from "../../core/printable.js";
import { EXIT, type ExitCode } from "../exit.js";
import type { CommandContext } from "../program.js";
import { addAgentOptions, agentDepsFromFlags, type AgentFlags } from "./agent-flags.js";

/** status's exit code: non-zero whenever the host is not as its manifest asks (monitoring). */
const STATUS_EXIT: Record<StatusVerdict, ExitCode> = {
  ok: EXIT.ok,
  failing: EXIT.error,
  refused: EXIT.refused,
  "not-covered": EXIT.notCovered,
};

export function registerStatus(program: Command, ctx: CommandContext): void {
  addAgentOptions(
    program
      .command("status")
      .description(
        "show the kernel, the last check, the patch state, applied and pending patches; " +
          "exit 0 only when every patch the manifest lists is live (see docs/operating-hosts.md)",
      )
      .option("--json", "machine-readable output (schema 2, see docs/operating-hosts.md)"),
  ).action(async (flags: AgentFlags & { json?: boolean }) => {
    const deps = await agentDepsFromFlags(flags, ctx);
    const report = await collectStatus(deps);
    // A manifest's titles may carry characters a terminal acts on: escaped in both forms.
    if (flags.json) ctx.output.out(printableJson(report));
    else for (const line of formatStatus(report, deps.clock.now())) ctx.output.out(line);
    ctx.setExit(STATUS_EXIT[report.verdict]);
  });
}
