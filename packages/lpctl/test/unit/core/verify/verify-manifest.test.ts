import { beforeAll, describe, expect, it } from "vitest";
import { isLpctlError, type ErrorCode } from "../../../../src/core/errors.js";
import { verifyManifest, type VerifyManifestInput } from "../../../../src/core/verify/index.js";
import {
  NOW,
  bytesOf,
  makeExpiredKey,
  makeKey,
  makeRevokedKey,
  sampleManifest,
  utf8,
  type TestKey,
} from "@livepatch-gitops/test-support/test-keys";

let pinned: TestKey;
let second: TestKey;
let stranger: TestKey;
let revoked: TestKey;
let expired: TestKey;

beforeAll(async () => {
  [pinned, second, stranger, revoked, expired] = await Promise.all([
    makeKey("pinned"),
    makeKey("second"),
    makeKey("stranger"),
    makeRevokedKey(),
    makeExpiredKey(),
  ]);
});

async function signed(bytes: Uint8Array, by: TestKey[] = [pinned]): Promise<VerifyManifestInput> {
  const sigs = await Promise.all(by.map((k) => k.sign(bytes)));
  return { manifest: bytes, signature: utf8(sigs.join("")), keys: [pinned.publicKey], now: NOW };
}

async function refusal(input: VerifyManifestInput): Promise<ErrorCode> {
  try {
    await verifyManifest(input);
  } catch (e) {
    if (isLpctlError(e)) return e.code;
    throw e;
  }
  throw new Error("verifyManifest accepted the input");
}

describe("verifyManifest accepts", () => {
  it("a manifest signed by the pinned key", async () => {
    const result = await verifyManifest(await signed(bytesOf(sampleManifest())));
    expect(result.manifest.version).toBe(7);
    expect(result.fingerprints).toHaveLength(1);
    expect(result.unchanged).toBe(false);
  });

  it("the same version as last time as unchanged, and a newer one as changed", async () => {
    const input = await signed(bytesOf(sampleManifest()));
    expect((await verifyManifest({ ...input, lastVersion: 7 })).unchanged).toBe(true);
    expect((await verifyManifest({ ...input, lastVersion: 6 })).unchanged).toBe(false);
  });

  it("a threshold of two distinct pinned keys", async () => {
    const input = await signed(bytesOf(sampleManifest()), [pinned, second]);
    const result = await verifyManifest({
      ...input,
      keys: [pinned.publicKey, second.publicKey],
      threshold: 2,
    });
    expect(result.fingerprints).toHaveLength(2);
  });
});

describe("verifyManifest refuses (adversarial)", () => {
  it("a 100 MB manifest by size, before parsing or checking the signature", async () => {
    const huge = new Uint8Array(100 * 1024 * 1024).fill(0x7b);
    const started = performance.now();
    expect(await refusal({ manifest: huge, signature: utf8("x"), keys: [], now: NOW })).toBe(
      "MANIFEST_TOO_LARGE",
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("a missing or empty signature", async () => {
    const input = await signed(bytesOf(sampleManifest()));
    expect(await refusal({ ...input, signature: new Uint8Array() })).toBe("SIGNATURE_MISSING");
    expect(await refusal({ ...input, signature: utf8("\n  \n") })).toBe("SIGNATURE_MISSING");
  });

  it("a manifest with one flipped byte", async () => {
    const input = await signed(bytesOf(sampleManifest()));
    const flipped = input.manifest.slice();
    flipped[40] = (flipped[40] ?? 0) ^ 0x01;
    expect(await refusal({ ...input, manifest: flipped })).toBe("SIGNATURE_INVALID");
  });

  it("a signature over a different file", async () => {
    const other = await signed(bytesOf(sampleManifest({ version: 8 })));
    const input = await signed(bytesOf(sampleManifest()));
    expect(await refusal({ ...input, signature: other.signature })).toBe("SIGNATURE_INVALID");
  });

  it("garbage in the signature file", async () => {
    const input = await signed(bytesOf(sampleManifest()));
    const garbage =
      "-----BEGIN PGP SIGNATURE-----\n\nbm90IGEgc2lnbmF0dXJl\n-----END PGP SIGNATURE-----\n";
    expect(await refusal({ ...input, signature: utf8(garbage) })).toBe("SIGNATURE_INVALID");
  });

  it("a signature by a key that is not pinned", async () => {
    expect(await refusal(await signed(bytesOf(sampleManifest()), [stranger]))).toBe(
      "SIGNATURE_UNTRUSTED",
    );
  });

  it("a signature by a revoked key", async () => {
    const input = await signed(bytesOf(sampleManifest()), [revoked]);
    expect(await refusal({ ...input, keys: [revoked.publicKey] })).toBe("SIGNATURE_KEY_REVOKED");
  });

  it("a signature by an expired key", async () => {
    const input = await signed(bytesOf(sampleManifest()), [expired]);
    expect(await refusal({ ...input, keys: [expired.publicKey] })).toBe("SIGNATURE_KEY_EXPIRED");
  });

  it("fewer distinct pinned signers than the threshold, counting a key once", async () => {
    const keys = [pinned.publicKey, second.publicKey];
    const twice = await signed(bytesOf(sampleManifest()), [pinned, pinned]);
    expect(await refusal({ ...twice, keys, threshold: 2 })).toBe("THRESHOLD_NOT_MET");
    const withStranger = await signed(bytesOf(sampleManifest()), [pinned, stranger]);
    expect(await refusal({ ...withStranger, keys, threshold: 2 })).toBe("THRESHOLD_NOT_MET");
  });

  it("duplicate JSON keys", async () => {
    const text = new TextDecoder().decode(bytesOf(sampleManifest()));
    const dup = text.replace('"version":7', '"version":7,"version":9');
    expect(await refusal(await signed(utf8(dup)))).toBe("MANIFEST_DUPLICATE_KEY");
  });

  it("a schema error, naming the field", async () => {
    const bad = sampleManifest();
    const kernel = bad.kernels[0];
    if (kernel?.module) kernel.module.sha256 = "not-hex";
    await expect(verifyManifest(await signed(bytesOf(bad)))).rejects.toMatchObject({
      code: "MANIFEST_MALFORMED",
      details: { path: "kernels[0].module.sha256" },
    });
    expect(await refusal(await signed(utf8("[1, 2")))).toBe("MANIFEST_MALFORMED");
  });

  it.each([-1, 0, 1.5, "7", null])("version %s", async (version) => {
    const bytes = bytesOf({ ...sampleManifest(), version });
    expect(await refusal(await signed(bytes))).toBe("MANIFEST_VERSION_INVALID");
  });

  it.each([
    { expires: "next tuesday" },
    { issued: "2026-13-45T99:00:00Z" },
    { expires: "2026-11-19T12:00:00.000Z" /* before issued */ },
  ])("unparseable or inverted dates %o", async (dates) => {
    expect(await refusal(await signed(bytesOf(sampleManifest(dates))))).toBe(
      "MANIFEST_EXPIRES_INVALID",
    );
  });

  it("a version lower than the last accepted (rollback)", async () => {
    const input = await signed(bytesOf(sampleManifest()));
    expect(await refusal({ ...input, lastVersion: 8 })).toBe("MANIFEST_ROLLBACK");
  });

  it("an expired manifest (freeze)", async () => {
    const input = await signed(bytesOf(sampleManifest({ expires: "2026-11-21T12:00:00.000Z" })));
    expect(await refusal(input)).toBe("MANIFEST_EXPIRED");
  });

  it.each(["../evil.ko", "/lib/modules/x.ko", "sub/dir.ko", ".hidden.ko", ""])(
    "module file %j",
    async (file) => {
      const m = sampleManifest();
      const kernel = m.kernels[0];
      if (kernel?.module) kernel.module.file = file;
      expect(await refusal(await signed(bytesOf(m)))).toBe("MANIFEST_FILE_NAME_UNSAFE");
    },
  );

  it("a duplicate target or build-id", async () => {
    const m = sampleManifest();
    const [k] = m.kernels;
    if (!k) throw new Error("fixture");
    const sameTarget = { ...k, buildId: "f".repeat(40), module: { ...k.module, file: "b.ko" } };
    const sameBuildId = { ...k, target: "other" };
    for (const extra of [sameTarget, sameBuildId]) {
      const bytes = bytesOf({ ...m, kernels: [k, extra] });
      expect(await refusal(await signed(bytes))).toBe("MANIFEST_DUPLICATE_TARGET");
    }
  });

  it("without any pinned key", async () => {
    const input = await signed(bytesOf(sampleManifest()));
    expect(await refusal({ ...input, keys: [] })).toBe("KEY_MISSING");
    expect(await refusal({ ...input, keys: ["not a key"] })).toBe("KEY_INVALID");
  });
});

describe("verifyManifest with select", () => {
  it("returns only the selected entry, or none", async () => {
    const m = sampleManifest();
    const [k] = m.kernels;
    if (!k) throw new Error("fixture");
    const other = {
      ...k,
      target: "b",
      buildId: "f".repeat(40),
      module: { ...k.module, file: "../bad" },
    };
    const input = await signed(bytesOf({ ...m, kernels: [k, other] }));
    expect((await verifyManifest({ ...input, select: k.buildId })).manifest.kernels).toEqual([k]);
    expect((await verifyManifest({ ...input, select: "0".repeat(40) })).manifest.kernels).toEqual(
      [],
    );
    expect(await refusal({ ...input, select: other.buildId })).toBe("MANIFEST_FILE_NAME_UNSAFE");
  });

  it("still refuses duplicates anywhere in the list", async () => {
    const m = sampleManifest();
    const [k] = m.kernels;
    if (!k) throw new Error("fixture");
    const input = await signed(bytesOf({ ...m, kernels: [k, { ...k, target: "x" }] }));
    expect(await refusal({ ...input, select: "0".repeat(40) })).toBe("MANIFEST_DUPLICATE_TARGET");
  });
});
