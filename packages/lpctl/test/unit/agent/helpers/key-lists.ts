/** Key lists for agent scenarios: keys-<N>.json (+ .asc) written into a mirror directory. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Trust } from "../../../../src/core/key-list.js";
import type { Signer } from "../../../../src/core/sign/signer.js";
import { signKeyList } from "../../../../src/publisher/sign-key-list.js";
import { NOW } from "./scenario.js";

/** Signs the list after `current` listing `keys`, writes it into `dir`, returns the new trust. */
export async function addKeyList(
  dir: string,
  current: Trust,
  keys: { publicKey: string }[],
  signers: Signer[],
  expires = new Date(NOW.getTime() + 365 * 86_400_000),
): Promise<Trust> {
  const next = await signKeyList({
    current,
    keys: keys.map((k) => k.publicKey),
    threshold: 1,
    expires,
    signers,
    now: NOW,
  });
  await writeFile(path.join(dir, next.name), next.bytes);
  await writeFile(path.join(dir, `${next.name}.asc`), next.signature);
  return { version: next.list.version, threshold: 1, keys: next.list.keys };
}
