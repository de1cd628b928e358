import type { Command } from "commander";
import { runRevert } from "../../agent/revert.js";
import type { CommandContext } from "../program.js";
import { addAgentOptions, agentDepsFromFlags, type AgentFlags } from "./agent-flags.js";

export function registerRevert(program: Command, ctx: CommandContext): void {
  addAgentOptions(
    program
      .command("revert")
      .description("disable and unload the live patch; sync stays off until sync --force"),
  ).action(async (flags: AgentFlags) => {
    await runRevert(await agentDepsFromFlags(flags, ctx));
  });
}
