/** Keys and signed manifests for the verification tests (generated once per file). */
import { generateKey, readPrivateKey, revokeKey } from "openpgp";
import { canonicalJsonBytes } from "@livepatch-gitops/lpctl/core/canonical-json";
import type { Manifest } from "@livepatch-gitops/lpctl/core/manifest";
import { createOpenpgpSigner } from "@livepatch-gitops/lpctl/core/sign/openpgp-signer";

export const NOW = new Date("2026-11-21T12:00:00Z");
const DAY = 86_400_000;

export interface TestKey {
  publicKey: string;
  sign(bytes: Uint8Array): Promise<string>;
}

/** A fresh v4 EdDSA key; `at` is its creation time (signatures are made then). */
export async function makeKey(
  name: string,
  at = new Date(NOW.getTime() - DAY),
  expiresIn?: number,
): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKey({
    type: "ecc",
    userIDs: [{ name }],
    date: at,
    ...(expiresIn ? { keyExpirationTime: expiresIn } : {}),
  });
  const signer = await createOpenpgpSigner(
    privateKey,
    undefined,
    () => new Date(at.getTime() + 1000),
  );
  return { publicKey, sign: (b) => signer.sign(b) };
}

/** A key whose public half (as pinned) carries a revocation made after it signed. */
export async function makeRevokedKey(): Promise<TestKey> {
  const at = new Date(NOW.getTime() - 2 * DAY);
  const { privateKey } = await generateKey({
    type: "ecc",
    userIDs: [{ name: "revoked" }],
    date: at,
  });
  const signer = await createOpenpgpSigner(
    privateKey,
    undefined,
    () => new Date(at.getTime() + 1000),
  );
  const revoked = await revokeKey({
    key: await readPrivateKey({ armoredKey: privateKey }),
    date: new Date(at.getTime() + DAY),
  });
  return { publicKey: revoked.publicKey, sign: (b) => signer.sign(b) };
}

/** A key that expired a day before NOW (it signed while still valid). */
export function makeExpiredKey(): Promise<TestKey> {
  return makeKey("expired", new Date(NOW.getTime() - 10 * DAY), 2 * 86_400);
}

export function sampleManifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    schema: 1,
    version: 7,
    issued: "2026-11-20T12:00:00.000Z",
    expires: "2026-12-04T12:00:00.000Z",
    repository: "example/livepatches",
    kernels: [
      {
        target: "lab-6.1",
        release: "6.1.0-lab",
        arch: "x86_64",
        buildId: "0123456789abcdef0123456789abcdef01234567",
        module: {
          file: "livepatch-v7-lab-6.1.ko",
          name: "livepatch_v7_lab_6_1",
          sha256: "a".repeat(64),
          length: 300_000,
        },
        patches: [{ id: "cmdline-banner", title: "Banner", cves: ["CVE-2026-0001"], pr: 3 }],
      },
    ],
    ...overrides,
  };
}

export const bytesOf = (value: unknown): Uint8Array => canonicalJsonBytes(value);
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
