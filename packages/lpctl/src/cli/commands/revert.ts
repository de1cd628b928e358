import type { Command } from "commander";
import { runRevert } from "../../agent/revert.js";
import { commandOutput } from "../json-output.js";
import type { CommandContext } from "../program.js";
import { addAgentOptions, agentDepsFromFlags, type AgentFlags } from "./agent-flags.js";

export function registerRevert(program: Command, ctx: CommandContext): void {
  addAgentOptions(
    program
      .command("revert")
      .description("disable and unload the live patch; sync stays off until sync --force")
      .option("--json", "print what was reverted as JSON (progress goes to stderr)"),
  ).action(async (flags: AgentFlags & { json?: boolean }) => {
    const out = commandOutput(ctx, flags.json);
    const reverted = await runRevert(await agentDepsFromFlags(flags, ctx, out.log));
    out.result({ reverted: reverted ?? null, optOut: true }, []);
  });
}
