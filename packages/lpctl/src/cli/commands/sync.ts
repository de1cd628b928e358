import type { Command } from "commander";
import { runSync } from "../../agent/sync.js";
import { runOfflineSync } from "../../agent/sync-offline.js";
import { LpctlError } from "../../core/errors.js";
import { commandOutput } from "../json-output.js";
import type { CommandContext } from "../program.js";
import { addAgentOptions, agentDepsFromFlags, type AgentFlags } from "./agent-flags.js";
import { trace, traceStart } from "../../agent/trace.js";

export function registerSync(program: Command, ctx: CommandContext): void {
  addAgentOptions(
    program
      .command("sync")
      .description(
        "fetch, verify and apply the live patch for the running kernel; prepare installed kernels for their boot",
      )
      .option("--force", "ignore a recorded opt-out (lpctl revert) and the cached manifest")
      .option(
        "--offline",
        "apply the copy an earlier sync stored for the running kernel, with no network (the boot unit)",
      )
      .option("--json", "print the outcome as JSON (progress goes to stderr)"),
  ).action(async (flags: AgentFlags & { force?: boolean; offline?: boolean; json?: boolean }) => {
    if (flags.offline === true && flags.force === true) {
      throw new LpctlError(
        "USAGE",
        "--offline applies what is stored and honours an opt-out; run lpctl sync --force online instead",
      );
    }
    traceStart("agent-loaded");
    const out = commandOutput(ctx, flags.json);
    const deps = await agentDepsFromFlags(flags, ctx, out.log);
    trace("config-loaded");
    const outcome =
      flags.offline === true
        ? await runOfflineSync(deps)
        : await runSync(deps, { force: flags.force === true, prepare: true });
    out.result({ outcome }, []);
  });
}
