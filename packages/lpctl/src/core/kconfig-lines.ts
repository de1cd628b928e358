/**
 * Line syntax of a kernel config fragment or full `.config`. The builder hands
 * these lines to `scripts/config` and `make olddefconfig`, which silently
 * ignore what they do not understand; a typo would then build a kernel
 * without the option, so every line is checked here instead.
 */
import type { Problem } from "./problem.js";

const NAME = "CONFIG_[A-Za-z0-9_]+";
const SET_RE = new RegExp(`^(${NAME})=(y|m|n|"(?:[^"\\\\]|\\\\.)*"|-?[0-9]+|0x[0-9a-fA-F]+)$`);
const UNSET_RE = new RegExp(`^# (${NAME}) is not set$`);

/** Problems in the config text of `file` (one per bad or repeated line). */
export function checkConfigLines(file: string, text: string): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const m = SET_RE.exec(line) ?? UNSET_RE.exec(line);
    if (!m) {
      if (line.trim() === "" || (line.startsWith("#") && !/^#\s*CONFIG_/.test(line))) return;
      problems.push({
        file,
        path: `line ${lineNo}`,
        code: "SCHEMA_INVALID",
        message: `'${line.slice(0, 80)}' is not CONFIG_X=y|m|n|"string"|number or '# CONFIG_X is not set'`,
      });
      return;
    }
    // A repeated option: the later line wins silently in kconfig, so one of them is a mistake.
    const first = seen.get(m[1]);
    if (first !== undefined) {
      problems.push({
        file,
        path: `line ${lineNo}`,
        code: "SCHEMA_INVALID",
        message: `${m[1]} is set again (first on line ${first})`,
      });
    } else seen.set(m[1], lineNo);
  });
  return problems;
}
