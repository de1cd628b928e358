/**
 * `lpctl rebuild`: rebuild the modules of a signed manifest from the commits
 * it records and compare them with what was published.
 */
import type { Command } from "commander";
import { tmpdir } from "node:os";
import { buildModule } from "../../builder/build/build.js";
import { resolveCacheDir } from "../../builder/cache/cache-key.js";
import { systemClock } from "../../io/clock.js";
import { rebuildEntry, type RebuildResult } from "../../builder/build/rebuild.js";
import { execaRunner } from "../../builder/runtime/runner.js";
import { LpctlError } from "../../core/errors.js";
import { hasModule } from "../../core/manifest.js";
import { verifyManifest } from "../../core/verify/index.js";
import type { CommandContext } from "../program.js";
import { parseJobs } from "./kernel.js";
import { isoTime } from "./parse-flags.js";
import { readKeyFiles } from "./read-key-files.js";
import { readCapped, readSignature } from "./verify.js";

interface RebuildFlags {
  manifest: string;
  key: string[];
  target?: string;
  repo: string;
  cache?: string;
  jobs?: string;
  now?: string;
  json?: boolean;
}

export function registerRebuild(program: Command, ctx: CommandContext): void {
  program
    .command("rebuild")
    .description(
      "rebuild a signed manifest's modules from the commits it records and compare their sha256 with the published ones",
    )
    .requiredOption(
      "--manifest <file>",
      "manifest.json or kernel-<buildId>.json (its .asc beside it)",
    )
    .requiredOption("--key <file...>", "pinned public key(s), armored")
    .option("--target <id>", "only this kernel target")
    .option("--repo <dir>", "git checkout that has the recorded commits", ".")
    .option(
      "--cache <dir>",
      "cache directory (default $LPCTL_CACHE_DIR or ~/.cache/livepatch-gitops)",
    )
    .option("--jobs <n>", "parallel make jobs (default: all CPUs)")
    .option(
      "--now <iso>",
      "reference time for the signature check (an expired release: its issue time)",
    )
    .option("--json", "print the results as JSON")
    .action(async (flags: RebuildFlags) => {
      const verified = await verifyManifest({
        manifest: await readCapped(flags.manifest),
        signature: new Uint8Array(await readSignature(`${flags.manifest}.asc`)),
        keys: await readKeyFiles(flags.key),
        now: flags.now ? isoTime(flags.now) : new Date(),
      });
      // An entry without a module (all withdrawn) has nothing to rebuild.
      const entries = verified.manifest.kernels
        .filter(hasModule)
        .filter((k) => flags.target === undefined || k.target === flags.target);
      if (entries.length === 0) {
        throw new LpctlError(
          "TARGET_UNKNOWN",
          `the manifest has no entry with a module for target ${flags.target ?? "(any)"} (an entry whose patches were all withdrawn has none)`,
        );
      }
      const cacheDir = resolveCacheDir(flags.cache, process.env);
      const log = (l: string) => (flags.json ? ctx.output.err(l) : ctx.output.out(l));
      const results: RebuildResult[] = [];
      for (const entry of entries) {
        log(`rebuilding ${entry.target} at ${entry.commit ?? "?"} (${entry.module.file})`);
        results.push(
          await rebuildEntry(entry, {
            runner: execaRunner,
            gitDir: flags.repo,
            scratchDir: tmpdir(),
            build: (o) =>
              buildModule({
                ...o,
                runner: execaRunner,
                clock: systemClock,
                print: log,
                env: process.env,
                cacheDir,
                jobs: parseJobs(flags.jobs),
              }),
          }),
        );
      }
      if (flags.json)
        ctx.output.out(JSON.stringify({ version: verified.manifest.version, results }, null, 2));
      else for (const r of results) ctx.output.out(formatResult(r));
      const bad = results.filter((r) => !r.reproduced);
      if (bad.length > 0) {
        throw new LpctlError(
          "MODULE_NOT_REPRODUCED",
          `${bad.map((r) => r.module).join(", ")} did not rebuild to the published bytes from the recorded commit`,
          { details: { results: bad } },
        );
      }
    });
}

function formatResult(r: RebuildResult): string {
  return r.reproduced
    ? `reproduced ${r.target}: ${r.module} sha256 ${r.actual} from ${r.commit}`
    : `DIFFERS ${r.target}: ${r.module} published ${r.expected}, rebuilt ${r.actual || "(no module)"} from ${r.commit}`;
}
