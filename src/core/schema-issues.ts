import type { z } from "zod";
import type { Problem } from "./problem.js";
import type { ErrorCode } from "./errors.js";

/** "kernels[1].id" from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Zod issues as Problems for `file`, each with its field path. */
export function zodProblems(
  file: string,
  error: z.ZodError,
  code: ErrorCode = "SCHEMA_INVALID",
): Problem[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === "unrecognized_keys") {
      message = `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
    }
    return { file, path: fieldPath(issue.path), code, message };
  });
}
