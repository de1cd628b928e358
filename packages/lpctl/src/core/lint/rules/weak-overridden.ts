/**
 * weak-overridden: a `__weak` function is only a default; when another
 * object the kernel links defines the same name without `__weak`, the linker
 * keeps that one and the weak copy is not in vmlinux at all. kpatch-build
 * still builds the patched weak copy, and livepatch, which finds the
 * function to replace by name, puts it in place of the strong one (seen on
 * the lab kernel: /proc/meminfo lost x86's DirectMap lines). Only the
 * tree can tell: packages/lpctl/src/builder/lint/lint-source.ts finds the strong definition with
 * the functions below and records it in SourceFacts.weakOverrides.
 */
import { bareName, changesInFunctions, type Hit, type Rule } from "../rule.js";
import type { StrongDefinition } from "../source-facts.js";
import { memoize } from "../view.js";
import { SOURCE_HINT } from "./source-hint.js";

export const WEAK = /\b__weak\b|\b__attribute__\s*\(\(\s*weak\s*\)\)/;
const ATTRIBUTE = /\b__attribute__\s*\(\(.*?\)\)/g;
const NAME = /\b([A-Za-z_]\w*)\s*\(/;

/** A column-0 declaration from line `i` up to its `{` (a definition) or `;` (a prototype). */
function declarationAt(lines: string[], i: number): { text: string; body: boolean } | undefined {
  if (!/^[A-Za-z_]/.test(lines[i]) || /^(extern|static|typedef)\b/.test(lines[i])) return undefined;
  let text = "";
  for (let j = i; j < lines.length && j < i + 6; j++) {
    text += ` ${lines[j].replace(/\/\/.*$|\/\*.*?\*\//g, "")}`;
    const brace = text.indexOf("{");
    const semi = text.indexOf(";");
    if (brace !== -1 && (semi === -1 || brace < semi))
      return { text: text.slice(0, brace), body: true };
    if (semi !== -1) return { text, body: false };
  }
  return undefined;
}

/** The function a declaration defines ("void __weak foo(int)" -> "foo"). */
function declaredName(text: string): string | undefined {
  return NAME.exec(text.replace(ATTRIBUTE, " ").replace(WEAK, " "))?.[1];
}

/** Names of the `__weak` functions `text` (a C file) defines. */
export function weakDefinitions(text: string): string[] {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!WEAK.test(lines[i]) && !WEAK.test(lines[i + 1] ?? "")) continue;
    const d = declarationAt(lines, i);
    if (d === undefined || !d.body || !WEAK.test(d.text)) continue;
    const name = declaredName(d.text);
    if (name !== undefined && !out.includes(name)) out.push(name);
  }
  return out;
}

/** True when `text` defines `name` as a global function without `__weak`. */
export function definesStrong(text: string, name: string): boolean {
  const lines = text.split("\n");
  const at = new RegExp(`\\b${name}\\s*\\(`);
  for (let i = 0; i < lines.length; i++) {
    if (!at.test(lines[i])) continue;
    // Kernel style may put the return type on the line above the name.
    for (const start of [i, i - 1]) {
      const d = start >= 0 ? declarationAt(lines, start) : undefined;
      if (d?.body === true && !WEAK.test(d.text) && declaredName(d.text) === name) return true;
    }
  }
  return false;
}

/** The extended regex that finds candidate definitions of `names` at column 0. */
export function strongDefinitionPattern(names: readonly string[]): string {
  return `^([A-Za-z_].*[^A-Za-z0-9_])?(${names.join("|")})[[:space:]]*\\(`;
}

function overrideText(name: string, strong: StrongDefinition): string {
  if (strong.home === "unknown") {
    return `${strong.file} defines a strong ${name}() (found anywhere in the tree: without the target's .config the lint cannot tell whether that object is built)`;
  }
  const where = strong.home === "vmlinux" ? "built into vmlinux" : "built as a module";
  return `${strong.file} defines a strong ${name}() (${where} by the target's .config)`;
}

export const weakOverridden: Rule = {
  id: "weak-overridden",
  cOnly: true,
  check(h) {
    const hits: Hit[] = [];
    const reported = memoize(h.file, "weak-overridden-reported", () => new Set<string>());
    const facts = h.file.facts;
    for (const { line, fn } of changesInFunctions(h)) {
      if (!WEAK.test(fn.header) || reported.has(fn.name)) continue;
      const name = bareName(fn.name);
      if (facts === undefined) {
        reported.add(fn.name);
        hits.push({
          severity: "warning",
          lines: [line],
          message: `${name}() is a __weak default: if another object the kernel builds defines a strong ${name}(), the running kernel's ${name}() is that one and livepatch, which finds functions by name, replaces it with this patched weak copy; change the strong definition instead${SOURCE_HINT}`,
        });
        continue;
      }
      const strong = facts.weakOverrides?.get(name);
      if (strong === undefined) continue;
      reported.add(fn.name);
      hits.push({
        severity: "error",
        lines: [line],
        message: `${name}() is a __weak default and ${overrideText(name, strong)}: the linker kept that one, so the running kernel's ${name}() is the strong one; kpatch-build still builds the patched weak copy and livepatch, which finds functions by name, replaces the strong ${name}() with it (the strong one's work is lost while the patch is loaded); make the change in ${strong.file} instead`,
      });
    }
    return hits;
  },
};
