import { describe, expect, it } from "vitest";
import { findDuplicateKey, hasDuplicateKey } from "../../../src/core/duplicate-keys.js";
import { parseStrictJson } from "../../../src/core/strict-json.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("findDuplicateKey", () => {
  it("finds duplicates at any depth and names the object", () => {
    expect(findDuplicateKey('{"a":1,"a":2}')).toEqual({ key: "a", path: "" });
    expect(findDuplicateKey('{"k":[{"x":1},{"x":1,"y":{"z":0,"z":1}}]}')).toEqual({
      key: "z",
      path: "k[1].y",
    });
  });

  it("treats escaped spellings of the same key as duplicates", () => {
    expect(findDuplicateKey('{"ab":1,"\\u0061b":2}')?.key).toBe("ab");
  });

  it("ignores keys in sibling objects, string values and escaped quotes", () => {
    expect(findDuplicateKey('[{"a":1},{"a":2}]')).toBeUndefined();
    expect(findDuplicateKey('{"a":"\\"a\\":","b":{"a":1}}')).toBeUndefined();
  });
});

describe("parseStrictJson", () => {
  it("parses valid JSON and refuses invalid UTF-8 or syntax", () => {
    expect(parseStrictJson(enc('{"a":[1]}'), "x")).toEqual({ a: [1] });
    expect(() => parseStrictJson(new Uint8Array([0x7b, 0xff, 0x7d]), "x")).toThrow(/UTF-8/);
    expect(() => parseStrictJson(enc("{"), "x")).toThrow(/not valid/);
    expect(() => parseStrictJson(enc('{"a":1,"a":1}'), "x")).toThrow(/twice/);
  });
});

describe("hasDuplicateKey (fast path) never misses what findDuplicateKey finds", () => {
  it.each([
    '{"a":1,"b":2}',
    '{"a":1,"a":2}',
    '{"a":{"x":1},"a":{"y":2,"z":3}}',
    '{"a":{"x":1,"x":2},"b":[{"c":1},{"c":1,"d":2}]}',
    '[{"a":1},{"a":1,"a":1}]',
    '{"k":[{"x":"}\\"{,"},{"x":1,"x":1}]}',
    '{"ab":1,"\\u0061b":2}',
    '{"2":{"a":1},"1":{"b":2}}',
    '{"__proto__":1,"a":[]}',
    '{"":1,"":2}',
    '[[],{},[{}],"x"]',
  ])("%s", (text) => {
    const exact = findDuplicateKey(text) !== undefined;
    // Never misses a duplicate; may defer to the exact search (digit keys).
    const digitKeys = /"\d[^"]*":/.test(text);
    expect(hasDuplicateKey(text, JSON.parse(text))).toBe(exact || digitKeys);
  });
});
