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
    if (issue.code === "unrecognized_keys" && secondKind(issue.path, issue.keys)) {
      // zod reports the first kind's branch: "unknown field 'path'" beside 'debian'.
      message = UNION_FORMS.source;
    } else if (issue.code === "unrecognized_keys") {
      message = `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
    } else if (issue.code === "invalid_type" && issue.expected === "string") {
      message = /received number|received boolean/.test(issue.message)
        ? 'must be a string; quote it (e.g. release: "6.1" or version: "1.0")'
        : "must be a string";
    } else if (issue.code === "invalid_union") {
      message = unionMessage(issue.path, issue.errors);
    }
    return { file, path: fieldPath(issue.path), code, message };
  });
}

/** The forms a union field of target.yaml allows, for a message that says what to write. */
const UNION_FORMS: Record<string, string> = {
  source: "source must have exactly one kind; choose one of debian, tarball, path",
  config:
    "config must be either 'file: NAME' or 'base: tinyconfig|defconfig|allnoconfig' (with an optional 'fragment: NAME')",
};

const SOURCE_KINDS = new Set(["debian", "tarball", "path"]);

/** An extra key of `source:` that is itself a source kind: two kinds were given. */
function secondKind(path: readonly PropertyKey[], keys: readonly string[]): boolean {
  return fieldPath(path) === "source" && keys.some((k) => SOURCE_KINDS.has(k));
}

/** What a union field allows, instead of zod's "Invalid input". */
function unionMessage(path: readonly PropertyKey[], branches: z.core.$ZodIssue[][]): string {
  // A branch that failed only on an enum value names the valid values ("base: tinyconfg").
  for (const issues of branches) {
    const [bad] = issues;
    if (issues.length === 1 && bad.code === "invalid_value") {
      return `${fieldPath(bad.path)} must be one of ${bad.values.map(String).join(", ")}`;
    }
  }
  const field = fieldPath(path);
  return UNION_FORMS[field] ?? `${field || "the value"} does not match any allowed form`;
}
