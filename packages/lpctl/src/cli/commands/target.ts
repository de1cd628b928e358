/**
 * `lpctl target`: `bump ID` moves a Debian-sourced kernel target to a newer
 * source package version and reports which patches still apply; `init`
 * (target-init.ts) registers a Debian binary kernel.
 */
import type { Command } from "commander";
import { resolveCacheDir } from "../../builder/cache/cache-key.js";
import { loadRepository } from "../../builder/repo/read-repo.js";
import { execaRunner } from "../../builder/runtime/runner.js";
import { debianDeps } from "../../builder/source/source.js";
import { bumpTarget, type BumpResult } from "../../builder/repo/target-bump.js";
import { LpctlError } from "../../core/errors.js";
import { EXIT } from "../exit.js";
import type { CommandContext } from "../program.js";
import { registerTargetInit } from "./target-init.js";

interface BumpFlags {
  repo: string;
  cache?: string;
  to?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function registerTarget(program: Command, ctx: CommandContext): void {
  const target = program.command("target").description("maintain kernel targets");
  registerTargetInit(target, ctx);
  target
    .command("bump")
    .description(
      "move a Debian-sourced target to the newest (or --to) version apt offers, rewrite its release, and report which patches no longer apply",
    )
    .argument("<id>", "kernel target id (kernels/<id>)")
    .option("--repo <dir>", "repository checkout", ".")
    .option(
      "--cache <dir>",
      "cache directory (default $LPCTL_CACHE_DIR or ~/.cache/livepatch-gitops)",
    )
    .option("--to <version>", "move to this package version instead of the newest")
    .option("--dry-run", "report only; do not rewrite target.yaml")
    .option("--json", "print the result as JSON")
    .action(async (id: string, flags: BumpFlags) => {
      const repo = await loadRepository(flags.repo);
      const t = repo.targets.find((x) => x.id === id);
      if (!t)
        throw new LpctlError(
          "TARGET_UNKNOWN",
          `no valid kernel target '${id}' in ${flags.repo}/kernels`,
        );
      const cacheDir = resolveCacheDir(flags.cache, process.env);
      const print = flags.json
        ? (l: string) => ctx.output.err(l)
        : (l: string) => ctx.output.out(l);
      const r = await bumpTarget(t, repo.patches, {
        runner: execaRunner,
        debian: debianDeps(execaRunner, cacheDir),
        repoDir: flags.repo,
        scratchDir: cacheDir,
        ...(flags.to ? { to: flags.to } : {}),
        dryRun: flags.dryRun ?? false,
        print,
      });
      if (flags.json) ctx.output.out(JSON.stringify(r, null, 2));
      else for (const l of formatBump(r)) ctx.output.out(l);
      if (r.patches.some((p) => !p.applies)) ctx.setExit(EXIT.error);
    });
}

export function formatBump(r: BumpResult): string[] {
  const lines = [
    r.changed
      ? `${r.target}: ${r.package} ${r.from.version ?? "(unpinned)"} (${r.from.release}) → ${r.to.version} (${r.to.release})${r.written ? ", target.yaml rewritten" : " (dry run: target.yaml unchanged)"}`
      : `${r.target}: already at ${r.to.version} (${r.to.release})`,
  ];
  for (const p of r.patches) {
    const state = !p.applies ? "DOES NOT APPLY" : p.shifted ? "applies (offset/fuzz)" : "applies";
    lines.push(`  ${p.patch}: ${state}`, ...p.detail.map((d) => `    ${d}`));
  }
  const failing = r.patches.filter((p) => !p.applies).length;
  const n = r.patches.length;
  lines.push(
    failing === 0
      ? `${n} ${n === 1 ? "patch applies" : "patches apply"} to the new source`
      : `${failing} of ${n} ${n === 1 ? "patch" : "patches"} no longer apply: rebase them in the same pull request`,
  );
  return lines;
}
