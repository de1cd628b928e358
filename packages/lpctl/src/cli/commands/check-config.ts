import type { Command } from "commander";
import { checkConfig } from "../../agent/check-config.js";
import { DEFAULT_CONFIG_PATH, loadAgentConfig } from "../../agent/config.js";
import { rootFromEnv } from "../../agent/host-root.js";
import { commandOutput } from "../json-output.js";
import type { CommandContext } from "../program.js";
import { addAgentOptions, type AgentFlags } from "./agent-flags.js";

export function registerCheckConfig(program: Command, ctx: CommandContext): void {
  addAgentOptions(
    program
      .command("check-config")
      .description("check the agent configuration and that every pinned key it names is readable")
      .option("--json", "print the checked configuration as JSON"),
  ).action(async (flags: AgentFlags & { json?: boolean }) => {
    const root = rootFromEnv(flags.root, process.env);
    const file = flags.config ?? root.resolve(DEFAULT_CONFIG_PATH);
    const c = await checkConfig(root, await loadAgentConfig(file));
    commandOutput(ctx, flags.json).result({ config: file, ...c }, [
      `${file}: ok`,
      `source:     ${c.source}`,
      `repository: ${c.repository}`,
      ...c.keys.map((k) => `key:        ${k.file} ${k.fingerprints.join(" ")}`),
      `threshold:  ${c.threshold}`,
    ]);
  });
}
