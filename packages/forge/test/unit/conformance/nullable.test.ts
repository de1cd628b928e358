import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { convertNullable } from "../../../src/conformance/nullable.js";

describe("convertNullable", () => {
  it("widens a typed nullable schema to accept null", () => {
    expect(convertNullable({ type: "string", nullable: true, format: "uri" })).toEqual({
      type: ["string", "null"],
      format: "uri",
    });
  });

  it("adds null to an enum, which would otherwise still reject it (check-run conclusion)", () => {
    expect(
      convertNullable({ type: "string", nullable: true, enum: ["success", "failure"] }),
    ).toEqual({
      type: ["string", "null"],
      enum: ["success", "failure", null],
    });
  });

  it("wraps a nullable schema without a type ($ref, allOf) in anyOf with null", () => {
    expect(convertNullable({ $ref: "#/x", nullable: true })).toEqual({
      anyOf: [{ $ref: "#/x" }, { type: "null" }],
    });
    expect(convertNullable({ allOf: [{ type: "object" }], nullable: true })).toEqual({
      anyOf: [{ allOf: [{ type: "object" }] }, { type: "null" }],
    });
  });

  it("drops nullable: false and converts schemas nested in properties, items, additionalProperties and unions", () => {
    const converted = convertNullable({
      type: "object",
      nullable: false,
      properties: { a: { type: "integer", nullable: true }, nullable: { type: "boolean" } },
      additionalProperties: { type: "string", nullable: true },
      oneOf: [{ type: "array", items: { type: "number", nullable: true } }],
    });
    expect(converted).toEqual({
      type: "object",
      properties: { a: { type: ["integer", "null"] }, nullable: { type: "boolean" } },
      additionalProperties: { type: ["string", "null"] },
      oneOf: [{ type: "array", items: { type: ["number", "null"] } }],
    });
  });

  it("makes schemas Ajv refuses to compile compilable, and they accept null", () => {
    const original = {
      type: "object",
      properties: { run: { allOf: [{ type: "object" }], nullable: true } },
    };
    expect(() => new Ajv().compile(structuredClone(original))).toThrow(/nullable/);
    const validate = new Ajv({ strict: false }).compile(convertNullable(original) as object);
    expect(validate({ run: null })).toBe(true);
    expect(validate({ run: {} })).toBe(true);
    expect(validate({ run: 3 })).toBe(false);
  });
});
