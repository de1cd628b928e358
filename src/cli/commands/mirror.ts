/**
 * `lpctl mirror`: copies a published release (a directory with manifest.json)
 * into a mirror directory in the order readers can rely on.
 */
import type { Command } from "commander";
import { writeMirror } from "../../publisher/mirror-directory.js";
import { readPublishedDir } from "../../publisher/read-published.js";
import { readVerifiedDir } from "../../publisher/verify-published.js";
import type { CommandContext } from "../program.js";
import { isoTime } from "./parse-flags.js";
import { readKeyFiles } from "./read-key-files.js";

interface MirrorFlags {
  from: string;
  to: string;
  key?: string[];
  now?: string;
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
    .action(async (flags: MirrorFlags) => {
      const log = (line: string): void => ctx.output.out(line);
      if (flags.key?.length) {
        const keys = await readKeyFiles(flags.key);
        const now = flags.now ? isoTime(flags.now) : new Date();
        // Everything is verified before the first byte is written.
        const source = await readVerifiedDir(flags.from, keys, now);
        log(`verified manifest version ${source.manifest.version} and every file it names`);
        await writeMirror(flags.to, source.files, log);
        return;
      }
      ctx.output.err("lpctl: mirroring without --key: the manifest's signature was not checked");
      const source = await readPublishedDir(flags.from);
      await writeMirror(flags.to, source.files, log);
    });
}
