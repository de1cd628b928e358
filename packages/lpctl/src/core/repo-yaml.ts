/** Reading a metadata YAML entry of the snapshot, with its problems. */
import type { Problem } from "./problem.js";
import { sizeLimitFor, tooLargeMessage, type RepoEntry } from "./repo-snapshot.js";
import { parseYaml } from "./yaml-input.js";

/** The parsed YAML value of `entry` at `file`, or undefined after pushing problems. */
export function readYamlEntry(
  file: string,
  entry: RepoEntry | undefined,
  problems: Problem[],
): unknown {
  const problem = (code: Problem["code"], message: string) =>
    problems.push({ file, path: "", code, message });
  if (entry === undefined) {
    problem("FILE_MISSING", "does not exist");
    return undefined;
  }
  const limit = sizeLimitFor(file);
  if (entry.size > limit) {
    problem("FILE_TOO_LARGE", tooLargeMessage(entry.size, limit));
    return undefined;
  }
  if (entry.text === undefined) {
    problem("YAML_INVALID", "is a binary file, not YAML");
    return undefined;
  }
  const result = parseYaml(file, entry.text);
  if (result.problems.length > 0) {
    problems.push(...result.problems);
    return undefined;
  }
  if (result.value === null || typeof result.value !== "object" || Array.isArray(result.value)) {
    problem("SCHEMA_INVALID", "must be a YAML mapping");
    return undefined;
  }
  return result.value;
}
