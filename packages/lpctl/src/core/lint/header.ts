/**
 * Classifies the text in front of a `{`: a function definition, a
 * struct/union/enum definition, a data initializer, or a plain block
 * (if/for/loop macros) that only matters for what encloses it.
 */
import { normalize } from "./c-code.js";

export type HeaderClass =
  | { kind: "block" }
  | { kind: "function"; name: string }
  | { kind: "type"; keyword: "struct" | "union" | "enum"; name: string }
  | { kind: "initializer"; name: string }
  | { kind: "other" };

/** Attribute-like macros written before or after a function name; never its name. */
const NOT_A_NAME = new Set([
  "__attribute__",
  "__printf",
  "__scanf",
  "__aligned",
  "__section",
  "__must_hold",
  "__acquires",
  "__releases",
  "__alloc_size",
  "__diagnose_as",
  "__no_sanitize_address",
  "__counted_by",
  "__nocfi",
  "__printf_format",
]);

const CONTROL = /^(if|else|for|while|do|switch|case|default)\b/;

/** Removes `__attribute__((...))` with its balanced parentheses: names inside are not the function's. */
export function stripAttributes(text: string): string {
  let out = text;
  for (let at = out.indexOf("__attribute__"); at !== -1; at = out.indexOf("__attribute__")) {
    let i = out.indexOf("(", at);
    if (i === -1) break;
    let depth = 0;
    for (; i < out.length; i++) {
      if (out[i] === "(") depth++;
      else if (out[i] === ")" && --depth === 0) break;
    }
    out = out.slice(0, at) + out.slice(i + 1);
  }
  return out;
}

/** The defined function's name; SYSCALL_DEFINEn(foo, ...) is reported as SYSCALL_DEFINEn(foo). */
export function functionName(raw: string): string | undefined {
  const text = stripAttributes(raw);
  const syscall = /\b((?:COMPAT_|KPATCH_)?SYSCALL_DEFINE\d)\s*\(\s*(\w+)/.exec(text);
  if (syscall) return `${syscall[1]}(${syscall[2]})`;
  for (const m of text.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
    if (!NOT_A_NAME.has(m[1]) && !CONTROL.test(m[1])) return m[1];
  }
  return undefined;
}

/** Index of an assignment `=` outside parentheses, or -1. */
function assignmentAt(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "=" && depth === 0 && !/[=!<>+\-*/%&|^]/.test(text[i - 1] ?? "")) {
      if (text[i + 1] !== "=") return i;
      i++;
    }
  }
  return -1;
}

/** Name of the variable defined by `static struct foo bar[] =`: "bar". */
export function variableName(beforeAssign: string): string {
  const cleaned = beforeAssign.replace(/\[[^\]]*\]/g, "").trim();
  return /([A-Za-z_]\w*)\s*$/.exec(cleaned)?.[1] ?? "(unnamed)";
}

/** Classifies a header; `topLevel` is false for a `{` opened on an indented line. */
export function classifyHeader(raw: string, topLevel: boolean): HeaderClass {
  const text = normalize(raw).replace(/^\}\s*/, "");
  if (text === "" || CONTROL.test(text)) return { kind: "block" };
  const eq = assignmentAt(text);
  if (eq !== -1) return { kind: "initializer", name: variableName(text.slice(0, eq)) };
  const type = /\b(struct|union|enum)\b(?:\s+([A-Za-z_]\w*))?[^()=]*$/.exec(text);
  if (type && !text.includes("(")) {
    const keyword = type[1] as "struct" | "union" | "enum";
    return { kind: "type", keyword, name: type[2] ?? "(anonymous)" };
  }
  if (!topLevel) return { kind: "block" };
  const name = text.includes("(") ? functionName(text) : undefined;
  return name === undefined ? { kind: "other" } : { kind: "function", name };
}
