/**
 * `lpctl lint PATCH...`: static live-patch safety analysis of patch files
 * after kpatch's patch author guide. Read-only and offline, so CI can run it
 * on untrusted pull requests before anything is built.
 */
import { open } from "node:fs/promises";
import type { Command } from "commander";
import { LpctlError } from "../../core/errors.js";
import { formatLocation, type Finding } from "../../core/lint/finding.js";
import { lintPatches, type LintResult } from "../../core/lint/lint.js";
import { EXIT } from "../exit.js";
import type { CommandContext } from "../program.js";

/** Patches larger than this are refused before they are read into memory. */
export const MAX_PATCH_BYTES = 8 * 1024 * 1024;

interface LintOptions {
  json?: boolean;
  strict?: boolean;
}

function tooLarge(path: string): LpctlError {
  return new LpctlError(
    "FILE_TOO_LARGE",
    `${path}: patch is larger than ${MAX_PATCH_BYTES / 1024 / 1024} MiB; split it into smaller patches`,
    { details: { file: path } },
  );
}

/** Reads a patch, checking the size on the open handle so a swapped file cannot slip past. */
async function readPatch(path: string): Promise<{ path: string; text: string }> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (e) {
    throw new LpctlError("FILE_MISSING", `${path}: cannot open patch file; check the path`, {
      cause: e,
      details: { file: path },
    });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      throw new LpctlError("FILE_MISSING", `${path}: not a regular file; pass a patch file`, {
        details: { file: path },
      });
    }
    if (st.size > MAX_PATCH_BYTES) throw tooLarge(path);
    // Read at most one byte past the limit: a file that grew after stat is still refused.
    const buf = Buffer.alloc(Math.min(st.size, MAX_PATCH_BYTES) + 1);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    if (bytesRead > MAX_PATCH_BYTES) throw tooLarge(path);
    return { path, text: buf.subarray(0, bytesRead).toString("utf8") };
  } finally {
    await handle.close();
  }
}

/** "0001-fix.patch: fs/proc/cmdline.c:16: error init-code: message" */
export function formatFinding(f: Finding): string {
  return `${f.patch}: ${formatLocation(f)}: ${f.severity} ${f.rule}: ${f.message}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "2 errors, 1 warning in 3 patches". */
export function lintSummary(result: LintResult, patches: number): string {
  const where = `in ${plural(patches, "patch", "patches")}`;
  if (result.findings.length === 0) return `no findings ${where}`;
  return `${plural(result.errors, "error")}, ${plural(result.warnings, "warning")} ${where}`;
}

/** The `--json` document: stable field names for CI scripts. */
export function lintJson(result: LintResult): string {
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
  return JSON.stringify({ findings, errors: result.errors, warnings: result.warnings }, null, 2);
}

export function registerLint(program: Command, ctx: CommandContext): void {
  program
    .command("lint")
    .description("check patches for changes kpatch-build refuses or that are unsafe to live-patch")
    .argument("<patch...>", "patch files (unified diffs)")
    .option("--json", "print the findings as JSON")
    .option("--strict", "exit 1 on warnings too")
    .action(async (paths: string[], opts: LintOptions) => {
      const patches = [];
      for (const p of paths) patches.push(await readPatch(p));
      const result = lintPatches(patches);
      if (opts.json) ctx.output.out(lintJson(result));
      else {
        for (const f of result.findings) ctx.output.out(formatFinding(f));
        ctx.output.out(lintSummary(result, patches.length));
      }
      const failed = result.errors > 0 || (opts.strict === true && result.warnings > 0);
      ctx.setExit(failed ? EXIT.error : EXIT.ok);
    });
}
