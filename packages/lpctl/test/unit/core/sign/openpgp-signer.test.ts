import { readKey } from "openpgp";
import { describe, expect, it } from "vitest";
import { generateSigningKey } from "../../../../src/core/sign/generate-signing-key.js";
import { createOpenpgpSigner } from "../../../../src/core/sign/openpgp-signer.js";
import { verifyDetached } from "../../../../src/core/verify/index.js";

const bytes = new TextEncoder().encode("module bytes");

describe("generateSigningKey and createOpenpgpSigner", () => {
  it("makes a v4 EdDSA key GnuPG 2.2 understands, and signs with it", async () => {
    const key = await generateSigningKey({ name: "Test", email: "t@example.org" });
    const pub = await readKey({ armoredKey: key.publicKey });
    expect(pub.keyPacket.version).toBe(4);
    expect(pub.getAlgorithmInfo().algorithm).toBe("eddsaLegacy");
    expect(key.fingerprint).toBe(pub.getFingerprint().toUpperCase());
    const signer = await createOpenpgpSigner(key.privateKey);
    expect(signer.fingerprint).toBe(key.fingerprint);
    const sig = await signer.sign(bytes);
    expect(sig).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    expect((await verifyDetached(bytes, sig, [signer.publicKey], new Date())).fingerprints).toEqual(
      [key.fingerprint],
    );
  });

  it("needs the right passphrase for a protected key", async () => {
    const key = await generateSigningKey({ name: "P", passphrase: "correct horse" });
    await expect(createOpenpgpSigner(key.privateKey)).rejects.toMatchObject({
      code: "KEY_INVALID",
    });
    await expect(createOpenpgpSigner(key.privateKey, "wrong")).rejects.toMatchObject({
      code: "KEY_INVALID",
    });
    const signer = await createOpenpgpSigner(key.privateKey, "correct horse");
    expect(await signer.sign(bytes)).toContain("PGP SIGNATURE");
  });

  it("refuses a public key or garbage as a signing key", async () => {
    const key = await generateSigningKey({ name: "X" });
    await expect(createOpenpgpSigner(key.publicKey)).rejects.toMatchObject({ code: "KEY_INVALID" });
    await expect(createOpenpgpSigner("nope")).rejects.toMatchObject({ code: "KEY_INVALID" });
  });
});
