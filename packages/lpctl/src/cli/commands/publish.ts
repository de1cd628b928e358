/**
 * `lpctl publish`: builds the next signed manifest from build outputs (or
 * re-issues the current one with --refresh) and publishes it to a mirror
 * directory (--to) and/or a GitHub release (--github). The flags live here;
 * the run itself in publish-run.ts.
 */
import { Option, type Command } from "commander";
import { LpctlError } from "../../core/errors.js";
import { lockMirror } from "../../publisher/publish-lock.js";
import type { CommandContext } from "../program.js";
import { publish, type PublishFlags } from "./publish-run.js";

export function registerPublish(program: Command, ctx: CommandContext): void {
  program
    .command("publish")
    .description("sign and publish the next manifest version with its modules")
    .option("--reports <dir...>", "build output directories (build-report.json beside the module)")
    .option("--refresh", "re-issue the current content (--from DIR) with a new version and expiry")
    .option("--checkout <dir>", "repository checkout for patch titles and CVEs", ".")
    .option(
      "--repository <owner/repo>",
      "repository named in the manifest (and the GitHub release's); required with --reports",
    )
    // Renamed: --repo DIR beside --repository OWNER/REPO was too easy to mix up.
    .addOption(new Option("--repo <dir>").hideHelp())
    .option("--key <file>", "armored private signing key (default: $LPCTL_SIGNING_KEY)")
    .option(
      "--previous <file>",
      "previous manifest.json, verified with FILE.asc (its version + 1 is published)",
    )
    .option(
      "--previous-key <file...>",
      "public key(s) this publisher signed earlier versions with (after a key rotation)",
    )
    .option(
      "--expect-commit <sha>",
      "the commit the build reports must have been built from (required with --reports)",
    )
    .option("--expect-run <id>", "the workflow run the build reports must come from")
    .option(
      "--key-lists <dir>",
      "publish the signed key lists (keys-<N>.json, lpctl keys rotate) in DIR beside the manifest",
    )
    .option(
      "--from <dir>",
      "previously published directory: previous manifest, and the content for --refresh",
    )
    .option("--to <dir>", "write the release into this mirror directory")
    .option("--github", "publish a GitHub release v<version>")
    .option("--token-env <var>", "environment variable with the GitHub token", "GITHUB_TOKEN")
    .option("--api-url <url>", "GitHub REST API base URL", "https://api.github.com")
    .option("--commit <sha>", "commit the release tag points at (with --github)")
    .option("--lifetime-days <n>", "days until the manifest expires", "14")
    .option("--now <iso>", "reference time (default: now)")
    .option("--json", "print the result as JSON")
    .action(async (flags: PublishFlags) => {
      if (flags.repo !== undefined)
        throw new LpctlError(
          "USAGE",
          `publish --repo was renamed: the checkout is --checkout ${flags.repo}; ` +
            "the repository named in the manifest is --repository OWNER/REPO",
        );
      // Options required together are checked before anything is read, so a
      // missing one is a usage error (64) whatever else is missing too.
      if (flags.reports && !flags.repository)
        throw new LpctlError("USAGE", "--repository OWNER/REPO is required with --reports");
      if (flags.reports && !flags.expectCommit)
        throw new LpctlError(
          "USAGE",
          "--reports needs --expect-commit SHA: the reviewed commit the builds must come from",
        );
      if (!flags.to && !flags.github)
        throw new LpctlError("USAGE", "say where to publish: --to DIR and/or --github");
      if (flags.github && !flags.commit)
        throw new LpctlError(
          "USAGE",
          "--github needs --commit SHA (the merge commit that was built)",
        );
      const log = (line: string): void =>
        flags.json ? ctx.output.err(line) : ctx.output.out(line);
      // concurrency: one publish per mirror directory, from reading the
      // previous version to writing the next (versions strictly increase).
      const lock = flags.to ? await lockMirror(flags.to, log) : undefined;
      try {
        await publish(flags, ctx, log);
      } finally {
        await lock?.release();
      }
    });
}
