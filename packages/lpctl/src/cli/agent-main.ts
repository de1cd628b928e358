/**
 * The single-file host agent (packages/lpctl/dist/lpctl-agent.cjs, started by
 * agent-launcher.ts): only the host
 * commands (every one docs/operating-hosts.md names), so the bundle carries
 * none of the app, builder or publisher.
 */
// First: zod's setting must precede every schema (agent-jitless.ts).
import "./agent-jitless.js";
import type { Command } from "commander";
import { registerCheckConfig } from "./commands/check-config.js";
import { registerInstallUnits } from "./commands/install-units.js";
import { registerRevert } from "./commands/revert.js";
import { registerStatus } from "./commands/status.js";
import { registerSync } from "./commands/sync.js";
import { processOutput, type Output } from "./output.js";
import { baseProgram, type CommandContext } from "./base-program.js";
import { runProgram } from "./run-program.js";

/** The agent's command tree: sync, status, revert, install-units, check-config. */
function buildAgentProgram(output: Output, setExit: (code: number) => void): Command {
  const program = baseProgram("live patch host agent", output);
  const ctx: CommandContext = { output, setExit };
  registerSync(program, ctx);
  registerStatus(program, ctx);
  registerRevert(program, ctx);
  registerInstallUnits(program, ctx);
  registerCheckConfig(program, ctx);
  return program;
}

// No top-level await: the bundle runs this as a script (agent-launcher.ts).
void runProgram(
  (setExit) => buildAgentProgram(processOutput, setExit),
  process.argv.slice(2),
  processOutput,
).then((code) => {
  process.exitCode = code;
});
