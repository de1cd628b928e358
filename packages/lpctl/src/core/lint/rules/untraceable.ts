/**
 * untraceable-function: livepatch redirects a function through its fentry
 * call, so a changed function compiled without one cannot be patched:
 * kpatch-build 0.9.9 stops with "function X has no fentry/mcount call,
 * unable to patch". That is a function declared `notrace`/`noinstr`, or any
 * function of an object the directory's Makefile builds without `-pg`
 * (`CFLAGS_REMOVE_tsc.o = -pg`), which only the source-aware lint can see.
 */
import { changesInFunctions, type Hit, type Rule } from "../rule.js";
import { memoize } from "../view.js";
import { inlinedStatic } from "./inline-function.js";
import { INIT_FN } from "./init-code.js";
import { unsupportedReason } from "./paths.js";

const NOTRACE =
  /\b(notrace|noinstr|__no_instrument_function|no_instrument_function|__no_instrument_function__)\b/;

export const untraceableFunction: Rule = {
  id: "untraceable-function",
  cOnly: true,
  check(h) {
    const hits: Hit[] = [];
    // unsupported-path already refuses the whole file (the vDSO is all notrace).
    if (unsupportedReason(h.file.path) !== undefined) return hits;
    const reported = memoize(h.file, "untraceable-reported", () => new Set<string>());
    const makefile = h.file.facts?.untraced?.get(h.file.path);
    for (const { line, fn } of changesInFunctions(h)) {
      const attr = NOTRACE.exec(fn.header)?.[1];
      if (attr === undefined && makefile === undefined) continue;
      // __init code is init-code's; a static function the compiler inlined is patched in its callers.
      if (INIT_FN.test(fn.header) || inlinedStatic(h.file, fn, h.file.facts?.vmlinuxSymbols))
        continue;
      if (reported.has(fn.name)) continue;
      reported.add(fn.name);
      const why =
        attr !== undefined
          ? `declared ${attr}`
          : `in an object built without fentry calls (${makefile})`;
      hits.push({
        severity: "error",
        lines: [line],
        message: `${fn.name}() is ${why}, so it has no fentry call for livepatch to redirect and kpatch-build refuses it ('function ${fn.name} has no fentry/mcount call, unable to patch'); move the fix into a traced caller (or a new static function that caller calls), or ship it in a kernel update`,
      });
    }
    return hits;
  },
};
