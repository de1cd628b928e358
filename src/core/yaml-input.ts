import { parseDocument } from "yaml";
import type { Problem } from "./problem.js";

/** Largest YAML metadata file accepted; these files are a few hundred bytes. */
export const MAX_YAML_BYTES = 256 * 1024;

/**
 * Parses YAML text strictly (duplicate keys, aliases bombs and multiple
 * documents are errors) and returns the plain value or the problems.
 */
export function parseYaml(
  file: string,
  text: string,
): { value: unknown; problems: [] } | { value?: undefined; problems: Problem[] } {
  if (text.length > MAX_YAML_BYTES) {
    return {
      problems: [
        { file, path: "", code: "FILE_TOO_LARGE", message: `larger than ${MAX_YAML_BYTES} bytes` },
      ],
    };
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        file,
        path: "",
        code: "YAML_INVALID" as const,
        message: `invalid YAML at line ${e.linePos?.[0]?.line ?? "?"}: ${e.message.split("\n")[0]}`,
      })),
    };
  }
  return { value: doc.toJS({ maxAliasCount: 50 }) as unknown, problems: [] };
}
