/**
 * The options every host command shares (--config, --root) and the real
 * dependencies they wire: HTTP or file fetcher, kmod loader, sysfs, clock.
 */
import type { Command } from "commander";
import os from "node:os";
import type { AgentDeps } from "../../agent/agent-deps.js";
import { systemClock } from "../../io/clock.js";
import { DEFAULT_CONFIG_PATH, loadAgentConfig } from "../../agent/config.js";
import { rootFromEnv } from "../../agent/host-root.js";
import { livepatchSysfs } from "../../agent/livepatch-sysfs.js";
import { commandLoader } from "../../agent/module-loader.js";
import { sourceFetcher } from "../../agent/source-fetcher.js";
import type { CommandContext } from "../program.js";

export interface AgentFlags {
  config?: string;
  root?: string;
}

export function addAgentOptions(cmd: Command): Command {
  return cmd
    .option("--config <file>", `agent configuration (default ${DEFAULT_CONFIG_PATH} under --root)`)
    .option("--root <dir>", "host root for /proc, /sys, /etc, /var/lib (default $LPCTL_ROOT or /)");
}

/** Real dependencies from flags and the environment. */
export async function agentDepsFromFlags(
  flags: AgentFlags,
  ctx: CommandContext,
  log: (line: string) => void = (l) => ctx.output.out(l),
): Promise<AgentDeps> {
  const root = rootFromEnv(flags.root, process.env);
  const config = await loadAgentConfig(flags.config ?? root.resolve(DEFAULT_CONFIG_PATH));
  return {
    root,
    config,
    fetcher: sourceFetcher(config.source),
    loader: commandLoader(config.loader),
    sysfs: livepatchSysfs(root),
    clock: systemClock,
    log,
    arch: os.machine(),
  };
}
