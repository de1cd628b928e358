import type { Command } from "commander";
import { formatStatus, collectStatus } from "../../agent/status.js";
import type { CommandContext } from "../program.js";
import { addAgentOptions, agentDepsFromFlags, type AgentFlags } from "./agent-flags.js";

export function registerStatus(program: Command, ctx: CommandContext): void {
  addAgentOptions(
    program
      .command("status")
      .description("show the kernel, the accepted manifest, the applied patches and CVEs")
      .option("--json", "machine-readable output (schema 1, see docs/operating-hosts.md)"),
  ).action(async (flags: AgentFlags & { json?: boolean }) => {
    const report = await collectStatus(await agentDepsFromFlags(flags, ctx));
    if (flags.json) ctx.output.out(JSON.stringify(report, null, 2));
    else for (const line of formatStatus(report)) ctx.output.out(line);
  });
}
