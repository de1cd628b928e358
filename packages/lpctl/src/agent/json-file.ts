import { readFile } from "node:fs/promises";
import type * as z from "zod/mini";
import { LpctlError, type ErrorCode } from "../core/errors.js";
import { fieldPath } from "../core/schema-issues.js";

/**
 * A JSON file the agent keeps in its state dir, read against its schema:
 * undefined when the file does not exist; `code`, naming the file and what
 * to do (`advice`), when it cannot be read, is not JSON or does not fit.
 */
export async function readJsonFile<T>(
  file: string,
  schema: z.ZodMiniType<T>,
  code: ErrorCode,
  advice: string,
): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new LpctlError(code, `cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new LpctlError(code, `${file} is not JSON; ${advice}`, { cause: e });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = fieldPath(issue?.path ?? []) || "(top level)";
    throw new LpctlError(code, `${file}: ${where}: ${issue?.message ?? "invalid"}; ${advice}`);
  }
  return parsed.data;
}
