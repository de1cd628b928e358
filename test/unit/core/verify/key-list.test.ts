/** The key chain rules, pure: bytes, signatures and trust in. */
import { beforeAll, describe, expect, it } from "vitest";
import { isLpctlError } from "../../../../src/core/errors.js";
import type { Trust } from "../../../../src/core/key-list.js";
import { followKeyLists, verifyKeyListStep } from "../../../../src/core/verify/index.js";
import { bytesOf, makeKey, NOW, utf8, type TestKey } from "./test-keys.js";

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
});
