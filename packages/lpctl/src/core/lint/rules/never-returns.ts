/**
 * never-returns: livepatch switches a task to the new code only when no
 * patched function is on its stack (the consistency model). A function a
 * task never returns from, a kthread's main loop or the idle loop, is always
 * on some task's stack, so the transition never completes. The function is
 * read, not looked up in a list: an unconditional loop that sleeps and is
 * left only when the thread is stopped; plus the entry points every kernel
 * has a task in.
 */
import { changesInFunctions, bareName, type Hit, type Rule } from "../rule.js";
import type { FunctionScope } from "../scope.js";
import { memoize, type HunkView } from "../view.js";

/** Functions some task of every running kernel is always inside. */
const ENTRY_POINTS = new Set([
  "kthreadd",
  "kthread",
  "worker_thread",
  "rescuer_thread",
  "smpboot_thread_fn",
  "do_idle",
  "cpu_startup_entry",
]);

const LOOP_HEAD =
  /\b(for\s*\(\s*;\s*;\s*\)|while\s*\(\s*(?:1|true)\s*\)|while\s*\(\s*!\s*kthread_should_stop\s*\(\s*\)\s*\))\s*\{/g;
const SLEEPS =
  /\b(schedule|schedule_timeout\w*|schedule_preempt_disabled|freezable_schedule\w*|kthread_should_stop|wait_event\w*)\s*\(/;
const EXIT = /\b(break|return|goto\s+(\w+))\b/g;
const BREAKABLE = /\b(for|while|do|switch)\b[^;{}]*$/;
const STOP = /\bkthread_should_stop\s*\(/;

/** Index of the `}` closing the `{` at `open`, or -1 when it is not in `text`. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/** The text since the last statement boundary before `at`. */
function statementBefore(text: string, at: number): string {
  const start = Math.max(
    text.lastIndexOf(";", at - 1),
    text.lastIndexOf("{", at - 1),
    text.lastIndexOf("}", at - 1),
  );
  return text.slice(start + 1, at);
}

/** Headers of the blocks open at `at` inside `body` (innermost last). */
function openBlocks(body: string, at: number): string[] {
  const stack: string[] = [];
  for (let i = 0; i < at; i++) {
    if (body[i] === "{") stack.push(statementBefore(body, i));
    else if (body[i] === "}") stack.pop();
  }
  return stack;
}

/** True when every way out of the loop body is taken only once the thread is told to stop. */
function leftOnlyOnStop(body: string): boolean {
  for (const m of body.matchAll(EXIT)) {
    const at = m.index;
    const blocks = openBlocks(body, at);
    if (m[1] === "break" && blocks.some((b) => BREAKABLE.test(b))) continue;
    if (m[2] !== undefined && new RegExp(`\\b${m[2]}\\s*:`).test(body)) continue;
    const guard = [statementBefore(body, at), blocks.at(-1) ?? ""].join(" ");
    if (!STOP.test(guard)) return false;
  }
  return true;
}

/** The loop head that keeps a task inside the function's visible text, if any. */
export function endlessLoop(code: string): string | undefined {
  for (const m of code.matchAll(LOOP_HEAD)) {
    const open = m.index + m[0].length - 1;
    const close = closing(code, open);
    if (close === -1) continue; // the loop's end is not visible: undecided
    const body = code.slice(open + 1, close);
    if (SLEEPS.test(body) && leftOnlyOnStop(body)) return m[1].replace(/\s+/g, " ");
  }
  return undefined;
}

/** The new side's code of `fn` in the hunk (all of it once the hunk is widened). */
function functionCode(h: HunkView, fn: FunctionScope): string {
  return h.newSide
    .filter((l) => {
      const s = h.scopeOf(l);
      return s.kind === "function" && s.name === fn.name;
    })
    .map((l) => l.code)
    .join("\n");
}

function reason(h: HunkView, fn: FunctionScope): string | undefined {
  const name = bareName(fn.name);
  if (ENTRY_POINTS.has(name)) return `${name}() is where a kernel thread or the idle loop lives`;
  const loop = endlessLoop(functionCode(h, fn));
  if (loop === undefined) return undefined;
  return `${name}() runs an unconditional \`${loop}\` loop that sleeps and is left only when the thread is stopped`;
}

export const neverReturns: Rule = {
  id: "never-returns",
  cOnly: true,
  check(h) {
    const hits: Hit[] = [];
    const reported = memoize(h.file, "never-returns-reported", () => new Set<string>());
    const byFn = new Map<string, { fn: FunctionScope; lines: Hit["lines"] }>();
    for (const { line, fn } of changesInFunctions(h)) {
      const entry = byFn.get(fn.name) ?? { fn, lines: [] };
      entry.lines.push(line);
      byFn.set(fn.name, entry);
    }
    for (const { fn, lines } of byFn.values()) {
      if (reported.has(fn.name)) continue;
      const why = reason(h, fn);
      if (why === undefined) continue;
      reported.add(fn.name);
      const name = bareName(fn.name);
      hits.push({
        severity: "error",
        lines,
        message: `${why}, so a task always has the old ${name}() on its stack and the livepatch transition never completes (livepatch switches a task only when no patched function is on its stack); leave ${name}() unchanged and patch the functions its loop calls instead`,
      });
    }
    return hits;
  },
};
