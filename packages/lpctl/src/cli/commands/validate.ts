/**
 * `lpctl validate`: checks the repository model (every target and patch) and
 * the rings file (.github/livepatch-rings.yml), and lists every problem. Read-only, so it is safe on an untrusted checkout.
 */
import type { Command } from "commander";
import { plural } from "../../core/plural.js";
import { loadRepository } from "../../builder/repo/read-repo.js";
import { formatProblem } from "../../core/problem.js";
import type { RepositoryCheck } from "../../core/repo-model.js";
import { ringsFileProblems } from "../../publisher/read-rings.js";
import { EXIT } from "../exit.js";
import type { CommandContext } from "../program.js";

interface ValidateOptions {
  repo: string;
  json?: boolean;
}

/** "1 kernel target, 2 patches: ok" or "...: 3 problems". */
export function validateSummary(check: RepositoryCheck): string {
  const counts = `${plural(check.targets.length, "kernel target")}, ${plural(check.patches.length, "patch", "patches")}`;
  const n = check.problems.length;
  return `${counts}: ${n === 0 ? "ok" : plural(n, "problem")}`;
}

/** The `--json` document: stable field names for CI scripts. */
export function validateJson(check: RepositoryCheck): string {
  return JSON.stringify(
    {
      ok: check.problems.length === 0,
      targets: check.targets.map((t) => t.id),
      patches: check.patches.map((p) => p.id),
      problems: check.problems.map(({ file, path, code, message }) => ({
        file,
        path,
        code,
        message,
      })),
    },
    null,
    2,
  );
}

export function registerValidate(program: Command, ctx: CommandContext): void {
  program
    .command("validate")
    .description("check kernel targets and patches (schemas, files, diffs, references)")
    .option("--repo <dir>", "repository checkout", ".")
    .option("--json", "print the result as JSON")
    .action(async (opts: ValidateOptions) => {
      const repo = await loadRepository(opts.repo);
      // The rings file gets the same checks as the app's rings check and every publish.
      const check = {
        ...repo,
        problems: [...repo.problems, ...(await ringsFileProblems(opts.repo))],
      };
      if (opts.json) ctx.output.out(validateJson(check));
      else {
        for (const p of check.problems) ctx.output.out(formatProblem(p));
        ctx.output.out(validateSummary(check));
      }
      ctx.setExit(check.problems.length === 0 ? EXIT.ok : EXIT.error);
    });
}
