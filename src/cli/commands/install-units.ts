import type { Command } from "commander";
import { fileURLToPath } from "node:url";
import { rootFromEnv } from "../../agent/host-root.js";
import { installUnits } from "../../agent/install-units.js";
import type { CommandContext } from "../program.js";

/** contrib/systemd of the package (src/cli/commands or dist/cli/commands → root). */
const UNITS_DIR = fileURLToPath(new URL("../../../contrib/systemd/", import.meta.url));

export function registerInstallUnits(program: Command, ctx: CommandContext): void {
  program
    .command("install-units")
    .description("install lpctl-sync.service and lpctl-sync.timer into /etc/systemd/system")
    .option("--root <dir>", "install under this root (default $LPCTL_ROOT or /)")
    .option("--exec <path>", "the lpctl binary ExecStart runs", "/usr/local/bin/lpctl")
    .action(async (flags: { root?: string; exec: string }) => {
      const root = rootFromEnv(flags.root, process.env);
      for (const file of await installUnits(root, UNITS_DIR, flags.exec)) {
        ctx.output.out(`installed ${file}`);
      }
      ctx.output.out(
        "enable with: systemctl daemon-reload && systemctl enable --now lpctl-sync.timer",
      );
    });
}
