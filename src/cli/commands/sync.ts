import type { Command } from "commander";
import { runSync } from "../../agent/sync.js";
import type { CommandContext } from "../program.js";
import { addAgentOptions, agentDepsFromFlags, type AgentFlags } from "./agent-flags.js";

export function registerSync(program: Command, ctx: CommandContext): void {
  addAgentOptions(
    program
      .command("sync")
      .description("fetch, verify and apply the live patch for the running kernel")
      .option("--force", "ignore a recorded opt-out (lpctl revert) and the cached manifest"),
  ).action(async (flags: AgentFlags & { force?: boolean }) => {
    const deps = await agentDepsFromFlags(flags, ctx);
    await runSync(deps, { force: flags.force === true });
  });
}
