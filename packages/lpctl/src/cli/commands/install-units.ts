import type { Command } from "commander";
import { DEFAULT_CONFIG_PATH } from "../../agent/config.js";
import { rootFromEnv } from "../../agent/host-root.js";
import { installUnits, SHIPPED_EXEC } from "../../agent/install-units.js";
import { commandOutput } from "../json-output.js";
import type { CommandContext } from "../program.js";

interface InstallUnitsFlags {
  root?: string;
  config: string;
  exec: string;
  json?: boolean;
}

export function registerInstallUnits(program: Command, ctx: CommandContext): void {
  program
    .command("install-units")
    .description(
      "install lpctl-sync.service, lpctl-sync.timer and lpctl-boot.service into /etc/systemd/system " +
        "(overriding the packaged ones), running lpctl sync with --config",
    )
    .option("--config <file>", "agent configuration the timer's sync uses", DEFAULT_CONFIG_PATH)
    .option("--root <dir>", "install under this root (default $LPCTL_ROOT or /)")
    .option("--exec <path>", "the lpctl binary ExecStart runs", SHIPPED_EXEC)
    .option("--json", "print the installed files as JSON")
    .action(async (flags: InstallUnitsFlags) => {
      const root = rootFromEnv(flags.root, process.env);
      const files = await installUnits(root, { exec: flags.exec, config: flags.config });
      const enable =
        "systemctl daemon-reload && systemctl enable --now lpctl-sync.timer && systemctl enable lpctl-boot.service";
      commandOutput(ctx, flags.json).result({ installed: files, config: flags.config, enable }, [
        ...files.map((f) => `installed ${f}`),
        `enable with: ${enable}`,
      ]);
    });
}
