/**
 * `lpctl lint PATCH...`: static live-patch safety analysis of patch files
 * after kpatch's patch author guide. Read-only and offline, so CI can run it
 * on untrusted pull requests before anything is built.
 */
import type { Command } from "commander";
import { plural } from "../../core/plural.js";
import { readKpatchTraits } from "../../builder/kpatch/kpatch-traits.js";
import { gatherSourceFacts } from "../../builder/lint/lint-source.js";
import { findKpatchBuild } from "../../builder/runtime/tools.js";
import { compareFindings, formatLocation, type Finding } from "../../core/lint/finding.js";
import { lintEntry } from "../../core/lint/lint-entry.js";
import type { LintResult } from "../../core/lint/lint.js";
import type { PatchStyle } from "../../core/lint/patch-style.js";
import { printable } from "../../core/printable.js";
import { readLintInput, type LintInput } from "./lint-input.js";
import { lintSourceTree, type SourceFlags } from "./lint-source.js";
import { repoPatchStyle } from "./lint-style.js";
import { EXIT } from "../exit.js";
import type { CommandContext } from "../program.js";

interface LintOptions extends SourceFlags {
  json?: boolean;
  strict?: boolean;
}

/** "0001-fix.patch: fs/proc/cmdline.c:16: error init-code: message" */
export function formatFinding(f: Finding): string {
  return printable(`${f.patch}: ${formatLocation(f)}: ${f.severity} ${f.rule}: ${f.message}`);
}

/** "2 errors, 1 warning in 3 patches". */
export function lintSummary(result: LintResult, patches: number, sourceAware = false): string {
  const where = `in ${plural(patches, "patch", "patches")}${sourceAware ? " (checked against the kernel source)" : ""}`;
  if (result.findings.length === 0) return `no findings ${where}`;
  return `${plural(result.errors, "error")}, ${plural(result.warnings, "warning")} ${where}`;
}

/** The `--json` document: stable field names for CI scripts. */
export function lintJson(result: LintResult, sourceAware = false): string {
  const findings = result.findings.map(
    ({ patch, file, startLine, endLine, severity, rule, message }) => ({
      patch,
      file,
      startLine,
      endLine,
      severity,
      rule,
      message,
    }),
  );
  const doc = { findings, errors: result.errors, warnings: result.warnings, sourceAware };
  return JSON.stringify(doc, null, 2);
}

/** Lints every input; with a source tree, each file is judged on the target's source. */
export function lintInputs(
  inputs: readonly LintInput[],
  facts: Awaited<ReturnType<typeof gatherSourceFacts>> | undefined,
  style?: PatchStyle,
): LintResult {
  const findings: Finding[] = [];
  let i = 0;
  for (const input of inputs) {
    if ("finding" in input) findings.push(input.finding);
    else findings.push(...lintEntry(input.entry, facts?.[i++], style));
  }
  // Patches keep their command-line order; findings inside one patch are sorted.
  const sorted = findings.sort((a, b) => (a.patch === b.patch ? compareFindings(a, b) : 0));
  const errors = sorted.filter((f) => f.severity === "error").length;
  return { findings: sorted, errors, warnings: sorted.length - errors };
}

/** The kpatch-build a build would use (the source-aware lint's jump-label verdict depends on it). */
async function kpatchInUse(env: NodeJS.ProcessEnv) {
  const path = await findKpatchBuild(env).catch(() => undefined);
  return path === undefined ? undefined : readKpatchTraits(path);
}

export function registerLint(program: Command, ctx: CommandContext): void {
  program
    .command("lint")
    .description("check patches for changes kpatch-build refuses or that are unsafe to live-patch")
    .argument("<patch...>", "patch files (unified diffs); - reads one from stdin")
    .option("--json", "print the findings as JSON")
    .option("--strict", "exit 1 on warnings too")
    .option("--source <dir>", "decide findings on this kernel source tree")
    .option("--target <id>", "decide findings on this target's source, prepared through the cache")
    .option(
      "--repo <dir>",
      "repository checkout (for --target, and the patchStyle of its .github/livepatch.yml)",
      ".",
    )
    .option("--cache <dir>", "cache directory (for --target)")
    .action(async (paths: string[], opts: LintOptions) => {
      const style = await repoPatchStyle(opts.repo);
      const inputs: LintInput[] = [];
      for (const p of paths) inputs.push(await readLintInput(p, process.stdin));
      const source = await lintSourceTree(opts, (l) => ctx.output.err(l));
      const tree = source?.tree;
      const texts = inputs.flatMap((x) => ("entry" in x ? [x.entry.text ?? ""] : []));
      let facts;
      try {
        facts =
          tree === undefined
            ? undefined
            : await gatherSourceFacts(tree, texts, await kpatchInUse(process.env));
      } finally {
        await source?.release();
      }
      const result = lintInputs(inputs, facts, style);
      if (opts.json) ctx.output.out(lintJson(result, tree !== undefined));
      else {
        for (const f of result.findings) ctx.output.out(formatFinding(f));
        ctx.output.out(lintSummary(result, inputs.length, tree !== undefined));
      }
      const failed = result.errors > 0 || (opts.strict === true && result.warnings > 0);
      ctx.setExit(failed ? EXIT.error : EXIT.ok);
    });
}
