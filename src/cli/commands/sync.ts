import type { Command } from "commander";
import { runSync } from "../../agent/sync.js";
import { commandOutput } from "../json-output.js";
import type { CommandContext } from "../program.js";
import { addAgentOptions, agentDepsFromFlags, type AgentFlags } from "./agent-flags.js";

export function registerSync(program: Command, ctx: CommandContext): void {
  addAgentOptions(
    program
      .command("sync")
      .description("fetch, verify and apply the live patch for the running kernel")
      .option("--force", "ignore a recorded opt-out (lpctl revert) and the cached manifest")
      .option("--json", "print the outcome as JSON (progress goes to stderr)"),
  ).action(async (flags: AgentFlags & { force?: boolean; json?: boolean }) => {
    const out = commandOutput(ctx, flags.json);
    const deps = await agentDepsFromFlags(flags, ctx, out.log);
    const outcome = await runSync(deps, { force: flags.force === true });
    out.result({ outcome }, []);
  });
}
