import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKey, readPrivateKey, readSignature } from "openpgp";
import { describe, expect, it } from "vitest";
import { eddsaLegacySigner } from "../../../../src/core/sign/eddsa-legacy-signature.js";
import { generateSigningKey } from "../../../../src/core/sign/generate-signing-key.js";
import { createOpenpgpSigner, openpgpSignature } from "../../../../src/core/sign/openpgp-signer.js";
import { verifyDetached } from "../../../../src/core/verify/index.js";
import { gpgVerifyAll } from "@livepatch-gitops/test-support/publisher-helpers";

const bytes = new TextEncoder().encode("module bytes\n");
const date = new Date("2026-12-07T08:00:00Z");

async function keyAndOpenpgpSignature(): Promise<{
  privateKey: string;
  publicKey: string;
  reference: Uint8Array;
}> {
  const { privateKey, publicKey } = await generateSigningKey({
    name: "Direct",
    date: new Date(date.getTime() - 60_000),
  });
  const key = await readPrivateKey({ armoredKey: privateKey });
  const reference = (await openpgpSignature(key, bytes, date)).write() as Uint8Array;
  return { privateKey, publicKey, reference };
}

describe("eddsaLegacySigner", () => {
  it("writes the packet openpgp.sign writes, except the salt and the signature values", async () => {
    const { privateKey, reference } = await keyAndOpenpgpSignature();
    const key = await readPrivateKey({ armoredKey: privateKey });
    const ref = (await readSignature({ binarySignature: reference })).packets[0];
    const direct = eddsaLegacySigner(
      await key.getSigningKey(undefined, date),
      ref?.hashAlgorithm ?? null,
    );
    expect(direct).toBeDefined();
    const mine = direct?.(bytes, date) ?? new Uint8Array();
    // header, hashed subpackets up to the salt: tag, length, version, type,
    // algorithms, creation time, issuer key ID, the notation's name
    const saltAt = 2 + 6 + 6 + 10 + 2 + 8 + 28;
    // after the 32-octet salt: issuer fingerprint (23 octets), empty
    // unhashed area (a two-octet length)
    const after = saltAt + 32;
    // Then the signature values: the hash's first two octets, r and s as
    // MPIs (a two-octet bit count, then the value): an MPI is an octet
    // shorter when its value starts with a zero octet, so the packet's
    // length (octet 1) varies with the values, in openpgp.sign's packets as
    // in these (1 run in ~128 has such a value).
    const mpiEnd = (p: Uint8Array, at: number) =>
      at + 2 + Math.ceil((((p[at] ?? 0) << 8) | (p[at + 1] ?? 0)) / 8);
    for (const packet of [mine, reference]) {
      expect(mpiEnd(packet, mpiEnd(packet, after + 25 + 2))).toBe(packet.length);
      expect(packet[1]).toBe(packet.length - 2);
    }
    expect(mine[0]).toBe(reference[0]);
    expect(Buffer.from(mine.subarray(2, saltAt))).toEqual(
      Buffer.from(reference.subarray(2, saltAt)),
    );
    expect(Buffer.from(mine.subarray(after, after + 25))).toEqual(
      Buffer.from(reference.subarray(after, after + 25)),
    );
    const parsed = (await readSignature({ binarySignature: mine })).packets[0];
    expect(parsed?.created).toEqual(ref?.created);
    expect(parsed?.issuerKeyID.toHex()).toBe(ref?.issuerKeyID.toHex());
    expect(parsed?.rawNotations.map((n) => [n.name, n.value.length, n.critical])).toEqual(
      ref?.rawNotations.map((n) => [n.name, n.value.length, n.critical]),
    );
    // random salt: two signatures over the same bytes differ
    expect(Buffer.from(direct?.(bytes, date) ?? [])).not.toEqual(Buffer.from(mine));
  });

  it("makes signatures openpgp.js and GnuPG accept, and only over the signed bytes", async () => {
    const { publicKey } = await keyAndOpenpgpSignature();
    const signer = await createOpenpgpSigner(
      (await keyAndOpenpgpSignature()).privateKey,
      undefined,
      () => date,
    );
    // The first signature of a second is openpgp.sign's, the rest are direct.
    const sigs = [await signer.sign(bytes), await signer.sign(bytes), await signer.sign(bytes)];
    const dir = await mkdtemp(join(tmpdir(), "lpctl-direct-"));
    const keyFile = join(await mkdtemp(join(tmpdir(), "lpctl-key-")), "signing-key.pub.asc");
    await writeFile(keyFile, signer.publicKey);
    for (const [i, sig] of sigs.entries()) {
      await writeFile(join(dir, `file-${i}`), bytes);
      await writeFile(join(dir, `file-${i}.asc`), sig);
    }
    expect([...(await gpgVerifyAll(dir, keyFile)).values()]).toEqual(sigs.map(() => "GOODSIG"));
    for (const sig of sigs) {
      const ok = await verifyDetached(bytes, sig, [signer.publicKey], date);
      expect(ok.fingerprints).toEqual([signer.fingerprint]);
      await expect(
        verifyDetached(new TextEncoder().encode("other bytes\n"), sig, [signer.publicKey], date),
      ).rejects.toMatchObject({ code: "SIGNATURE_INVALID" });
      await expect(verifyDetached(bytes, sig, [publicKey], date)).rejects.toMatchObject({
        code: "SIGNATURE_UNTRUSTED",
      });
    }
  });

  it("declines keys it does not make packets for", async () => {
    const { privateKey } = await generateKey({
      type: "ecc",
      curve: "nistP256",
      userIDs: [{ name: "P-256" }],
      format: "armored",
    });
    const key = await readPrivateKey({ armoredKey: privateKey });
    expect(eddsaLegacySigner(await key.getSigningKey(), 8)).toBeUndefined();
    const ed = await readPrivateKey({ armoredKey: (await keyAndOpenpgpSignature()).privateKey });
    // SHA-1 is too weak for EdDSA; a public-only key cannot sign.
    expect(eddsaLegacySigner(await ed.getSigningKey(undefined, date), 2)).toBeUndefined();
    expect(eddsaLegacySigner(ed.toPublic(), 10)).toBeUndefined();
  });

  it("still checks the key at each second: a key that expires stops signing", async () => {
    const key = await generateSigningKey({
      name: "Expiring",
      date: new Date(date.getTime() - 60_000),
      expiresInSeconds: 120,
    });
    let at = date;
    const signer = await createOpenpgpSigner(key.privateKey, undefined, () => at);
    expect(await signer.sign(bytes)).toContain("PGP SIGNATURE");
    expect(await signer.sign(bytes)).toContain("PGP SIGNATURE");
    at = new Date(date.getTime() + 61_000);
    await expect(signer.sign(bytes)).rejects.toMatchObject({ code: "KEY_INVALID" });
    await expect(signer.sign(bytes)).rejects.toMatchObject({ code: "KEY_INVALID" });
  });
});
