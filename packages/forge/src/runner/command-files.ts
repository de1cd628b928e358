/**
 * The files a step writes to talk to the runner: $GITHUB_OUTPUT and
 * $GITHUB_ENV hold `name=value` lines or `name<<DELIMITER` blocks ending at a
 * line that is exactly the delimiter; $GITHUB_PATH holds one directory a line.
 */
import { ForgeError } from "../errors.js";

/** Parses a $GITHUB_OUTPUT or $GITHUB_ENV file. */
export function parseKeyValueFile(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    const eq = line.indexOf("=");
    const heredoc = line.indexOf("<<");
    if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (delimiter === "") throw bad(file, i, `'${name}<<' has no delimiter`);
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw bad(file, i, `matching delimiter '${delimiter}' for '${name}' not found`);
      out[name] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (eq > 0) {
      out[line.slice(0, eq)] = line.slice(eq + 1);
    } else {
      throw bad(file, i, `expected 'name=value' or 'name<<DELIMITER', got '${line}'`);
    }
  }
  return out;
}

/** Parses a $GITHUB_PATH file: directories in the order written. */
export function parsePathFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

function bad(file: string, index: number, what: string): ForgeError {
  return new ForgeError("ACTION_FAILED", `${file} line ${index + 1}: ${what}`);
}
