import { beforeAll, describe, expect, it } from "vitest";
import { verifyDetached } from "../../../../src/core/verify/index.js";
import { NOW, makeKey, type TestKey } from "@livepatch-gitops/test-support/test-keys";

let pinned: TestKey;
let stranger: TestKey;
const module = new Uint8Array(300 * 1024).map((_, i) => (i * 31) & 0xff);

beforeAll(async () => {
  [pinned, stranger] = await Promise.all([makeKey("pinned"), makeKey("stranger")]);
});

describe("verifyDetached", () => {
  it("accepts a module signature by the pinned key, as string or bytes", async () => {
    const sig = await pinned.sign(module);
    const a = await verifyDetached(module, sig, [pinned.publicKey], NOW);
    const b = await verifyDetached(module, new TextEncoder().encode(sig), [pinned.publicKey], NOW);
    expect(a.fingerprints).toEqual(b.fingerprints);
    expect(a.fingerprints[0]).toMatch(/^[0-9A-F]{40}$/);
  });

  it("accepts when one of several signatures is by a pinned key", async () => {
    const sig = (await stranger.sign(module)) + (await pinned.sign(module));
    expect((await verifyDetached(module, sig, [pinned.publicKey], NOW)).fingerprints).toHaveLength(
      1,
    );
  });

  it("refuses a module with a flipped byte", async () => {
    const sig = await pinned.sign(module);
    const flipped = module.slice();
    flipped[1000] = (flipped[1000] ?? 0) ^ 0x80;
    await expect(verifyDetached(flipped, sig, [pinned.publicKey], NOW)).rejects.toMatchObject({
      code: "SIGNATURE_INVALID",
    });
  });

  it("refuses an unpinned signer and an empty signature", async () => {
    const sig = await stranger.sign(module);
    await expect(verifyDetached(module, sig, [pinned.publicKey], NOW)).rejects.toMatchObject({
      code: "SIGNATURE_UNTRUSTED",
    });
    await expect(verifyDetached(module, "", [pinned.publicKey], NOW)).rejects.toMatchObject({
      code: "SIGNATURE_MISSING",
    });
  });

  it("refuses an invalid threshold", async () => {
    const sig = await pinned.sign(module);
    await expect(verifyDetached(module, sig, [pinned.publicKey], NOW, 0)).rejects.toMatchObject({
      code: "USAGE",
    });
  });
});

describe("verifyDetached and clock skew", () => {
  it("accepts a signature made 5 minutes ahead of the host's clock, refuses one an hour ahead", async () => {
    const sig = await pinned.sign(module);
    // makeKey signs one second after the key's creation, a day before NOW.
    const signedAt = NOW.getTime() - 86_400_000 + 1000;
    const behind5min = new Date(signedAt - 5 * 60_000);
    expect(
      (await verifyDetached(module, sig, [pinned.publicKey], behind5min)).fingerprints,
    ).toHaveLength(1);
    const behind1h = new Date(signedAt - 60 * 60_000);
    await expect(verifyDetached(module, sig, [pinned.publicKey], behind1h)).rejects.toMatchObject({
      code: "SIGNATURE_FUTURE",
    });
  });
});

describe("verifyDetached and a future-dated signature", () => {
  it("says the signature is dated in the future, not that the file changed", async () => {
    const { generateKey } = await import("openpgp");
    const { createOpenpgpSigner } = await import("../../../../src/core/sign/openpgp-signer.js");
    const key = await generateKey({
      type: "ecc",
      userIDs: [{ name: "early" }],
      date: new Date(NOW.getTime() - 86_400_000),
    });
    const signer = await createOpenpgpSigner(
      key.privateKey,
      undefined,
      () => new Date(NOW.getTime() + 3_600_000),
    );
    const sig = await signer.sign(module);
    const refused = verifyDetached(module, sig, [key.publicKey], NOW);
    await expect(refused).rejects.toMatchObject({ code: "SIGNATURE_FUTURE" });
    await expect(refused).rejects.toThrow(/dated in the future/);
    // An hour later the same bytes verify: nothing was changed.
    const later = new Date(NOW.getTime() + 3_600_000);
    expect((await verifyDetached(module, sig, [key.publicKey], later)).fingerprints).toHaveLength(
      1,
    );
  });
});
