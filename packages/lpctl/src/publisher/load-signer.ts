/** The publisher's signing key: from --key FILE or LPCTL_SIGNING_KEY, never from the repository. */
import { readFile } from "node:fs/promises";
import { LpctlError } from "../core/errors.js";
import { createOpenpgpSigner } from "../core/sign/openpgp-signer.js";
import type { Signer } from "../core/sign/signer.js";

/** A Signer from `keyFile` or env LPCTL_SIGNING_KEY (armored), unlocked with LPCTL_SIGNING_PASSPHRASE. */
export async function loadSigner(
  keyFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Signer> {
  let armored = env.LPCTL_SIGNING_KEY;
  if (keyFile !== undefined) {
    armored = await readFile(keyFile, "utf8").catch((e: unknown) => {
      throw new LpctlError("KEY_MISSING", `cannot read the signing key ${keyFile}: ${String(e)}`, {
        cause: e,
      });
    });
  }
  if (armored === undefined || armored.trim() === "") {
    throw new LpctlError(
      "KEY_MISSING",
      "no signing key: pass --key FILE or set LPCTL_SIGNING_KEY to the armored private key (lpctl keygen makes one)",
    );
  }
  return createOpenpgpSigner(armored, env.LPCTL_SIGNING_PASSPHRASE);
}
