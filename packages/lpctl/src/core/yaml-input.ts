import { LineCounter, parseDocument } from "yaml";
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
  const invalid = (message: string): Problem => ({ file, path: "", code: "YAML_INVALID", message });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return invalid(`invalid YAML at line ${line}, column ${col}: ${e.message.split("\n")[0]}`);
      }),
    };
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 50 }) as unknown, problems: [] };
  } catch (e) {
    // yaml throws a ReferenceError when aliases expand past maxAliasCount (a "billion laughs" file).
    if (!(e instanceof ReferenceError)) throw e;
    return {
      problems: [
        invalid(
          "aliases expand too much (a YAML alias bomb); write the values out instead of using * aliases",
        ),
      ],
    };
  }
}
