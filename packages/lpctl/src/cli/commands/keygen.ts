/**
 * `lpctl keygen`: makes the release signing key. Ed25519 (v4 EdDSA) by
 * default, RSA-4096 with --rsa; both verify with GnuPG 2.2.
 */
import type { Command } from "commander";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import { generateSigningKey } from "../../core/sign/generate-signing-key.js";
import { fsStep } from "../../io/fs-errors.js";
import { commandOutput } from "../json-output.js";
import type { CommandContext } from "../program.js";

interface KeygenFlags {
  name: string;
  email?: string;
  out: string;
  rsa?: boolean;
  passphraseEnv?: string;
  json?: boolean;
}

export function registerKeygen(program: Command, ctx: CommandContext): void {
  program
    .command("keygen")
    .description("generate the release signing key (signing-key.asc, signing-key.pub.asc)")
    .requiredOption("--name <name>", "user ID name, e.g. 'Example Live Patches'")
    .option("--email <email>", "user ID email")
    .requiredOption("--out <dir>", "directory for signing-key.asc (0600) and signing-key.pub.asc")
    .option("--rsa", "RSA-4096 instead of Ed25519")
    .option(
      "--passphrase-env <var>",
      "environment variable holding a passphrase to protect the key",
    )
    .option("--json", "print the fingerprint and files as JSON")
    .action(async (flags: KeygenFlags) => {
      let passphrase: string | undefined;
      if (flags.passphraseEnv !== undefined) {
        passphrase = process.env[flags.passphraseEnv];
        if (!passphrase)
          throw new LpctlError(
            "USAGE",
            `environment variable ${flags.passphraseEnv} is empty or unset`,
          );
      }
      const key = await generateSigningKey({
        name: flags.name,
        ...(flags.email ? { email: flags.email } : {}),
        rsa: flags.rsa === true,
        ...(passphrase ? { passphrase } : {}),
      });
      await fsStep(`create ${flags.out}`, () => mkdir(flags.out, { recursive: true }));
      const secret = join(flags.out, "signing-key.asc");
      // "wx": never overwrite an existing key (it may be the only copy).
      await fsStep(`write the signing key ${secret} (an existing key is never overwritten)`, () =>
        writeFile(secret, key.privateKey, { mode: 0o600, flag: "wx" }),
      );
      const pub = join(flags.out, "signing-key.pub.asc");
      await fsStep(`write the public key ${pub}`, () =>
        writeFile(pub, key.publicKey, { mode: 0o644, flag: "wx" }),
      );
      commandOutput(ctx, flags.json).result(
        { fingerprint: key.fingerprint, privateKey: secret, publicKey: pub },
        [
          `fingerprint ${key.fingerprint}`,
          `wrote ${secret} (keep it secret) and ${pub} (pin it on hosts)`,
        ],
      );
    });
}
