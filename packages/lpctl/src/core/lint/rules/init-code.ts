/** init-code: changes that only run at boot or module load, or live in init sections. */
import { addedMatches, changesInFunctions, existedBefore, type Hit, type Rule } from "../rule.js";
import { memoize, type FileView, type HunkView } from "../view.js";

export const INIT_FN = /\b__(init|exit|meminit|cpuinit|devinit|devexit)\b/;
const INIT_DATA =
  /\b(__initdata|__initconst|__exitdata|__meminitdata|__initdata_memblock|__setup|early_param)\b/;
const INITCALL =
  /\b(?:module_init|module_exit|(?:early|pure|core|postcore|arch|subsys|fs|rootfs|device|late)_initcall(?:_sync)?|console_initcall|__initcall)\s*\(\s*(\w+)\s*\)/g;

/** Functions registered with module_init()/initcalls anywhere in the visible file. */
function initcalls(file: FileView): Set<string> {
  return memoize(file, "initcalls", () => {
    const names = new Set<string>();
    for (const h of file.hunks)
      for (const l of [...h.oldSide, ...h.newSide])
        for (const m of l.code.matchAll(INITCALL)) names.add(m[1]);
    return names;
  });
}

/** An initcall registration line, for counting added ones. */
const INITCALL_LINE = new RegExp(INITCALL.source);

const CALLBACK =
  "do the one-time fix from a klp pre-patch/post-patch callback (KPATCH_PRE_PATCH_CALLBACK) that brings the running system into the new state";

export const initCode: Rule = {
  id: "init-code",
  cOnly: true,
  check(h) {
    const hits: Hit[] = [];
    for (const { line, fn } of changesInFunctions(h)) {
      if (INIT_FN.test(fn.header)) {
        hits.push({
          severity: "error",
          lines: [line],
          message: `${fn.name}() is __init/__exit code: it ran at boot and its .init.text is freed, so kpatch-build fails ('changed section .init.text not selected for inclusion'); ${CALLBACK}`,
        });
      } else if (initcalls(h.file).has(fn.name)) {
        hits.push({
          severity: "warning",
          lines: [line],
          message: `${fn.name}() is a module/initcall init function: it already ran before the patch loads, so this change never takes effect; ${CALLBACK}`,
        });
      }
    }
    hits.push(...addedInitCode(h));
    for (const line of h.changed) {
      const scope = h.scopeOf(line);
      const header = scope.kind === "initializer" ? scope.header : "";
      if (INIT_DATA.test(line.code) || INIT_DATA.test(header)) {
        hits.push({
          severity: "error",
          lines: [line],
          message: `init data (__initdata/__initconst/__setup) is used only during boot and freed afterwards; a live patch cannot change it — ${CALLBACK}`,
        });
      }
    }
    return hits;
  },
};

/**
 * New init code: a new `__init` function lands in `.init.text`, which
 * kpatch-build refuses, and a new initcall would never run: boot is over
 * when the patch loads.
 */
function addedInitCode(h: HunkView): Hit[] {
  const hits: Hit[] = [];
  const reported = memoize(h.file, "init-added-reported", () => new Set<string>());
  for (const line of h.changed) {
    if (line.line.kind !== "add") continue;
    const scope = h.scopeOf(line);
    if (scope.kind !== "function" || existedBefore(h.file, scope)) continue;
    if (!INIT_FN.test(scope.header) || reported.has(scope.name)) continue;
    reported.add(scope.name);
    hits.push({
      severity: "error",
      lines: [line],
      message: `${scope.name}() is a new __init/__exit function: it would go into .init.text, which kpatch-build refuses ('changed section .init.text not selected for inclusion'), and boot is over when the patch loads; ${CALLBACK}`,
    });
  }
  // The new __init function it registers is the certain refusal (lab run init-added);
  // a new initcall alone is certain only never to run.
  for (const line of addedMatches(h, INITCALL_LINE)) {
    hits.push({
      severity: "warning",
      lines: [line],
      message: `a new initcall runs only at boot or module load, which is over when the patch loads, so it never runs; ${CALLBACK}`,
    });
  }
  return hits;
}
