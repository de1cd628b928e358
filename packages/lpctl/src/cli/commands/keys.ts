/**
 * `lpctl keys rotate`: signs the next key list (keys-<N>.json + .asc) in the
 * publisher's key-list directory, after following the existing chain from the
 * keys hosts pin, so the new list is exactly the next step hosts will take.
 */
import { plural } from "../../core/plural.js";
import type { Command } from "commander";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import { createOpenpgpSigner } from "../../core/sign/openpgp-signer.js";
import { followKeyLists } from "../../core/verify/index.js";
import { dirKeyListReader } from "../../publisher/read-key-lists.js";
import { signKeyList } from "../../publisher/sign-key-list.js";
import { commandOutput } from "../json-output.js";
import type { CommandContext } from "../program.js";
import { integer, isoTime } from "./parse-flags.js";

interface RotateFlags {
  dir: string;
  pinned: string[];
  pinnedThreshold: string;
  keys: string[];
  threshold: string;
  signWith: string[];
  expiresDays: string;
  now?: string;
  json?: boolean;
}

export function registerKeys(program: Command, ctx: CommandContext): void {
  const keys = program.command("keys").description("signing key lists (key rotation)");
  keys
    .command("rotate")
    .description("sign the next key list: the keys that sign manifests from now on")
    .requiredOption("--dir <dir>", "directory of the key lists (keys-<N>.json); the next is added")
    .requiredOption("--pinned <file...>", "the public key(s) hosts pin: where the chain starts")
    .option("--pinned-threshold <k>", "the threshold hosts are configured with", "1")
    .requiredOption("--keys <file...>", "public key(s) of the new list")
    .option("--threshold <k>", "distinct listed keys that must sign", "1")
    .requiredOption(
      "--sign-with <file...>",
      "private keys to sign with: a threshold of the current keys and of the new ones",
    )
    .option("--expires-days <n>", "days until the new list expires", "365")
    .option("--now <iso>", "reference time (default: now)")
    .option("--json", "print the new key list as JSON")
    .action(async (flags: RotateFlags) => {
      const now = flags.now ? isoTime(flags.now) : new Date();
      const current = await followKeyLists(
        dirKeyListReader(flags.dir),
        {
          version: 0,
          threshold: integer(flags.pinnedThreshold, "--pinned-threshold"),
          keys: await readAll(flags.pinned),
        },
        now,
      );
      const passphrase = process.env.LPCTL_SIGNING_PASSPHRASE;
      const signers = await Promise.all(
        (await readAll(flags.signWith)).map((k) => createOpenpgpSigner(k, passphrase)),
      );
      const days = integer(flags.expiresDays, "--expires-days");
      const next = await signKeyList({
        current,
        keys: await readAll(flags.keys),
        threshold: integer(flags.threshold, "--threshold"),
        expires: new Date(now.getTime() + days * 86_400_000),
        signers,
        now,
      });
      // "wx": a list version is written once; a second rotation makes N+1.
      await writeOnce(join(flags.dir, `${next.name}.asc`), next.signature);
      await writeOnce(join(flags.dir, next.name), next.bytes);
      commandOutput(ctx, flags.json).result(
        {
          file: join(flags.dir, next.name),
          version: next.list.version,
          keys: next.list.keys.length,
          threshold: next.list.threshold,
          expires: next.list.expires,
          signedBy: signers.map((s) => s.fingerprint),
        },
        [
          `wrote ${join(flags.dir, next.name)}: key list version ${next.list.version}, ${plural(next.list.keys.length, "key")}, threshold ${next.list.threshold}, expires ${next.list.expires}, signed by ${signers.map((s) => s.fingerprint).join(", ")}`,
        ],
      );
    });
}

async function writeOnce(path: string, bytes: Uint8Array): Promise<void> {
  await writeFile(path, bytes, { flag: "wx" }).catch((e: unknown) => {
    throw new LpctlError(
      "USAGE",
      `cannot write ${path} (${String(e)}); a key list version is never overwritten`,
      { cause: e },
    );
  });
}

async function readAll(files: readonly string[]): Promise<string[]> {
  return Promise.all(
    files.map((f) =>
      readFile(f, "utf8").catch((e: unknown) => {
        throw new LpctlError("KEY_MISSING", `cannot read the key ${f}: ${String(e)}`, {
          cause: e,
        });
      }),
    ),
  );
}
