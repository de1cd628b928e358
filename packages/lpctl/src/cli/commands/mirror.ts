/**
 * `lpctl mirror`: copies a published release (a directory with manifest.json)
 * into a mirror directory in the order readers can rely on.
 */
import type { Command } from "commander";
import { writeMirror } from "../../publisher/mirror-directory.js";
import { readPublishedDir } from "../../publisher/read-published.js";
import { readVerifiedDir } from "../../publisher/verify-published.js";
import { commandOutput } from "../json-output.js";
import type { CommandContext } from "../program.js";
import { isoTime } from "./parse-flags.js";
import { readKeyFiles } from "./read-key-files.js";

interface MirrorFlags {
  from: string;
  to: string;
  key?: string[];
  now?: string;
  json?: boolean;
}

export function registerMirror(program: Command, ctx: CommandContext): void {
  program
    .command("mirror")
    .description("copy a published release directory into a mirror directory (atomic, ordered)")
    .requiredOption("--from <dir>", "published directory (manifest.json, modules, signatures)")
    .requiredOption("--to <dir>", "mirror directory served to hosts")
    .option(
      "--key <file...>",
      "pinned public key(s): verify the manifest and every file before mirroring",
    )
    .option("--now <iso>", "reference time for --key (default: now)")
    .option("--json", "print the result as JSON (progress goes to stderr)")
    .action(async (flags: MirrorFlags) => {
      const out = commandOutput(ctx, flags.json);
      const log = out.log;
      let source;
      if (flags.key?.length) {
        const keys = await readKeyFiles(flags.key);
        const now = flags.now ? isoTime(flags.now) : new Date();
        // Everything is verified before the first byte is written.
        source = await readVerifiedDir(flags.from, keys, now);
        log(`verified manifest version ${source.manifest.version} and every file it names`);
      } else {
        ctx.output.err("lpctl: mirroring without --key: the manifest's signature was not checked");
        source = await readPublishedDir(flags.from);
      }
      await writeMirror(flags.to, source.files, log);
      out.result(
        {
          to: flags.to,
          version: source.manifest.version,
          verified: flags.key?.length ? true : false,
          files: source.files.map((f) => f.name),
        },
        [],
      );
    });
}
