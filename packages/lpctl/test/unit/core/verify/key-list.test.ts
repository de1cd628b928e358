/** The key chain rules, pure: bytes, signatures and trust in. */
import { beforeAll, describe, expect, it } from "vitest";
import { isLpctlError } from "../../../../src/core/errors.js";
import type { Trust } from "../../../../src/core/key-list.js";
import type { Manifest } from "../../../../src/core/manifest.js";
import {
  checkKeyVersion,
  followKeyLists,
  keyVersionHint,
  verifyKeyListStep,
} from "../../../../src/core/verify/index.js";
import {
  bytesOf,
  makeKey,
  NOW,
  utf8,
  type TestKey,
} from "@livepatch-gitops/test-support/test-keys";

let a: TestKey;
let b: TestKey;
beforeAll(async () => {
  [a, b] = await Promise.all([makeKey("a"), makeKey("b")]);
});

const list = (version: number, keys: TestKey[], over: Record<string, unknown> = {}) =>
  bytesOf({
    schema: 1,
    type: "keys",
    version,
    expires: new Date(NOW.getTime() + 86_400_000).toISOString(),
    threshold: 1,
    keys: keys.map((k) => k.publicKey),
    ...over,
  });
const signedBy = async (bytes: Uint8Array, keys: TestKey[]) =>
  utf8((await Promise.all(keys.map((k) => k.sign(bytes)))).join("\n"));
const pinned = (): Trust => ({ version: 0, threshold: 1, keys: [a.publicKey] });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (isLpctlError(e)) return e.code;
    throw e;
  }
}

describe("verifyKeyListStep", () => {
  it("accepts the next list signed by the trusted and the listed keys", async () => {
    const bytes = list(1, [b]);
    const next = await verifyKeyListStep(bytes, await signedBy(bytes, [a, b]), pinned(), NOW, "k");
    expect(next).toMatchObject({ version: 1, threshold: 1, keys: [b.publicKey] });
  });

  it.each([
    ["signed by the new key only", 1, ["b"], {}, "KEY_LIST_INVALID"],
    ["signed by the trusted key only", 1, ["a"], {}, "KEY_LIST_INVALID"],
    ["a skipped version", 2, ["a", "b"], {}, "KEY_LIST_INVALID"],
    ["threshold above the keys", 1, ["a", "b"], { threshold: 2 }, "KEY_LIST_INVALID"],
    ["an unknown field", 1, ["a", "b"], { extra: 1 }, "KEY_LIST_INVALID"],
  ])("refuses %s", async (_n, version, signers, over, code) => {
    const bytes = list(version, [b], over);
    const keys = signers.map((s) => (s === "a" ? a : b));
    expect(
      await codeOf(verifyKeyListStep(bytes, await signedBy(bytes, keys), pinned(), NOW, "k")),
    ).toBe(code);
  });

  it("refuses an older list replayed after a newer one (rollback)", async () => {
    const bytes = list(1, [a]);
    const current = { version: 1, threshold: 1, keys: [a.publicKey] };
    expect(
      await codeOf(verifyKeyListStep(bytes, await signedBy(bytes, [a]), current, NOW, "k")),
    ).toBe("KEY_LIST_ROLLBACK");
  });
});

describe("followKeyLists", () => {
  it("walks the chain while lists exist and refuses an expired newest list", async () => {
    const one = list(1, [b]);
    const two = list(2, [a], { expires: new Date(NOW.getTime() - 1000).toISOString() });
    const files = new Map([
      ["keys-1.json", { bytes: one, signature: await signedBy(one, [a, b]) }],
      ["keys-2.json", { bytes: two, signature: await signedBy(two, [a, b]) }],
    ]);
    const read = (n: string) => Promise.resolve(files.get(n));
    expect(await codeOf(followKeyLists(read, pinned(), NOW))).toBe("KEY_LIST_EXPIRED");
    files.delete("keys-2.json");
    expect(await followKeyLists(read, pinned(), NOW)).toMatchObject({ version: 1 });
    expect(await followKeyLists(() => Promise.resolve(undefined), pinned(), NOW)).toEqual(pinned());
  });

  it("with upTo: stops at that version, reads nothing beyond, and a missing list is KEY_LIST_MISSING", async () => {
    const one = list(1, [b]);
    const two = list(2, [a]);
    const files = new Map([
      ["keys-1.json", { bytes: one, signature: await signedBy(one, [a, b]) }],
      ["keys-2.json", { bytes: two, signature: await signedBy(two, [a, b]) }],
    ]);
    const asked: string[] = [];
    const read = (n: string) => (asked.push(n), Promise.resolve(files.get(n)));
    expect(await followKeyLists(read, pinned(), NOW, 1)).toMatchObject({ version: 1 });
    expect(asked).toEqual(["keys-1.json"]);
    asked.length = 0;
    // At (or past) the named version already: nothing is fetched.
    expect(await followKeyLists(read, pinned(), NOW, 0)).toEqual(pinned());
    expect(asked).toEqual([]);
    expect(await codeOf(followKeyLists(read, pinned(), NOW, 3))).toBe("KEY_LIST_MISSING");
    expect(asked).toEqual(["keys-1.json", "keys-2.json", "keys-3.json"]);
  });
});

describe("the manifest's key-list version", () => {
  const manifest = (keys?: number) => ({ ...(keys === undefined ? {} : { keys }) }) as Manifest;

  it.each([
    ['{"keys":3,"version":1}', 3],
    ['{"keys":0}', 0],
    ['{"version":1}', undefined],
    ['{"keys":-1}', undefined],
    ['{"keys":1.5}', undefined],
    ['{"keys":"2"}', undefined],
    ["null", undefined],
    ["not json", undefined],
  ])("hint of %s is %s", (text, want) => {
    expect(keyVersionHint(utf8(text))).toBe(want);
  });

  it("the signed value must be the version followed; absent passes (an older publisher)", () => {
    expect(() => checkKeyVersion(manifest(2), 2, "m")).not.toThrow();
    expect(() => checkKeyVersion(manifest(), 5, "m")).not.toThrow();
    for (const [keys, followed, why] of [
      [0, 1, /outdated key-list directory/],
      [3, 1, /were not found beside it/],
    ] as const) {
      expect(() => checkKeyVersion(manifest(keys), followed, "m")).toThrow(why);
      expect(() => checkKeyVersion(manifest(keys), followed, "m")).toThrow(
        expect.objectContaining({ code: "MANIFEST_KEYS_MISMATCH" }) as Error,
      );
    }
  });
});
