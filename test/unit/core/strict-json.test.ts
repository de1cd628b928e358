import { describe, expect, it } from "vitest";
import { findDuplicateKey, parseStrictJson } from "../../../src/core/strict-json.js";

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
