/**
 * Request bodies: read with a byte cap (413 past it, like GitHub's front
 * end), JSON parsed into a plain object (400 "Problems parsing JSON"), and
 * typed field readers that answer GitHub's 422 wording.
 */
import type { IncomingMessage } from "node:http";
import { ForgeHttpError, invalidField, missingField } from "./errors.js";

/** Reads the whole body, refusing it with 413 once it passes `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function tooLarge(): ForgeHttpError {
  return new ForgeHttpError(413, "Payload too large");
}

/** Parses a JSON request body; an empty body is `{}` as GitHub treats it. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ForgeHttpError(400, "Problems parsing JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ForgeHttpError(400, "Problems parsing JSON");
  }
  return value as Record<string, unknown>;
}

/** Typed access to a parsed JSON body with GitHub's 422 messages. */
export class Body {
  constructor(readonly data: Record<string, unknown>) {}

  has(field: string): boolean {
    return this.data[field] !== undefined && this.data[field] !== null;
  }

  string(field: string): string {
    const v = this.optString(field);
    if (v === undefined) throw missingField(field);
    return v;
  }

  optString(field: string): string | undefined {
    const v = this.data[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") throw invalidField(field, `${JSON.stringify(v)} is not a string`);
    return v;
  }

  optBool(field: string): boolean | undefined {
    const v = this.data[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "boolean") throw invalidField(field, `${JSON.stringify(v)} is not a boolean`);
    return v;
  }

  optInt(field: string): number | undefined {
    const v = this.data[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw invalidField(field, `${JSON.stringify(v)} is not an integer`);
    }
    return v;
  }

  optEnum<T extends string>(field: string, allowed: readonly T[]): T | undefined {
    const v = this.optString(field);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      throw invalidField(field, `"${v}" is not a member of ${JSON.stringify(allowed)}`);
    }
    return v as T;
  }

  optObject(field: string): Record<string, unknown> | undefined {
    const v = this.data[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "object" || Array.isArray(v)) {
      throw invalidField(field, `${JSON.stringify(v)} is not an object`);
    }
    return v as Record<string, unknown>;
  }

  optArray(field: string): unknown[] | undefined {
    const v = this.data[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) throw invalidField(field, `${JSON.stringify(v)} is not an array`);
    return v as unknown[];
  }
}
