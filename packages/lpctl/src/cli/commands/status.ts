import type { Command } from "commander";
import { hostVex } from "../../agent/host-vex.js";
import { formatStatus, collectStatus } from "../../agent/status.js";
import { LpctlError } from "../../core/errors.js";
import type { StatusVerdict } from "../../agent/status-report.js";
import { printableJson } from "../../core/printable.js";
import { EXIT, type ExitCode } from "../exit.js";
import type { CommandContext } from "../program.js";
import { addAgentOptions, agentDepsFromFlags, type AgentFlags } from "./agent-flags.js";

/** status's exit code: non-zero whenever the host is not as its manifest asks (monitoring). */
const STATUS_EXIT: Record<StatusVerdict, ExitCode> = {
  ok: EXIT.ok,
  failing: EXIT.error,
  refused: EXIT.refused,
  "not-covered": EXIT.notCovered,
};

export function registerStatus(program: Command, ctx: CommandContext): void {
  addAgentOptions(
    program
      .command("status")
      .description(
        "show the kernel, the last check, the patch state, applied and pending patches; " +
          "exit 0 only when every patch the manifest lists is live (see docs/operating-hosts.md)",
      )
      .option("--json", "machine-readable output (schema 2, see docs/operating-hosts.md)")
      .option(
        "--format <format>",
        "text, json (= --json) or openvex: this host's OpenVEX statement for scanners (trivy/grype --vex)",
        "text",
      ),
  ).action(async (flags: AgentFlags & { json?: boolean; format: string }) => {
    if (!["text", "json", "openvex"].includes(flags.format))
      throw new LpctlError(
        "USAGE",
        `--format must be text, json or openvex, not '${flags.format}'`,
      );
    const deps = await agentDepsFromFlags(flags, ctx);
    const report = await collectStatus(deps);
    const now = deps.clock.now();
    // A manifest's titles may carry characters a terminal acts on: escaped in every form.
    if (flags.format === "openvex") {
      const vex = hostVex(report, now);
      if (vex === undefined)
        throw new LpctlError(
          "VEX_EMPTY",
          "no CVE to state: no manifest accepted for this kernel yet, or its entry names none; run lpctl sync first",
        );
      // The document says what is affected: written, it is a success (a scanner pipeline goes on).
      ctx.output.out(printableJson(vex));
      return;
    } else if (flags.json || flags.format === "json") ctx.output.out(printableJson(report));
    else for (const line of formatStatus(report, now)) ctx.output.out(line);
    ctx.setExit(STATUS_EXIT[report.verdict]);
  });
}
