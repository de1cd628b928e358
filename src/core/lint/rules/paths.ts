/** Rules that depend only on which file a hunk patches. */
import type { Rule } from "../rule.js";
import type { HunkView } from "../view.js";

const VDSO = /(^|\/)vdso\d*(\/|$)|^arch\/[^/]+\/entry\/vdso/;
// kpatch-build checks the top-level lib/ only; arch/*/lib is linked into vmlinux and supported.
const LIB = /^lib\//;

/** Every changed line, comments included: kpatch-build rejects by path, not by content. */
function allChanged(h: HunkView) {
  return [...h.oldSide, ...h.newSide].filter((l) => l.line.kind !== "context");
}

export function unsupportedReason(path: string): string | undefined {
  if (VDSO.test(path)) {
    return "the vDSO is mapped into user space and built outside vmlinux, so a kernel live patch cannot change it; ship this fix in a kernel update instead";
  }
  if (path.endsWith(".S")) {
    return "kpatch-build refuses assembly changes ('unsupported patch to assembly'): it can only replace whole C functions; rewrite the fix in C in a calling function or ship it in a kernel update";
  }
  if (LIB.test(path)) {
    return "kpatch-build refuses any patch to lib/ ('unsupported patch to lib/'); fix the callers outside lib/ instead, or copy the function into the patched file under a new name and call that";
  }
  return undefined;
}

// unsupported-path: kpatch-build's own path check plus the README's vDSO limitation.
export const unsupportedPath: Rule = {
  id: "unsupported-path",
  cOnly: false,
  check(h) {
    const message = unsupportedReason(h.file.path);
    const lines = allChanged(h);
    return message === undefined || lines.length === 0
      ? []
      : [{ severity: "error", lines, message }];
  },
};

// header-change: every includer is rebuilt and compared; data or prototypes may change with it.
export const headerChange: Rule = {
  id: "header-change",
  cOnly: true,
  check(h) {
    if (!h.file.path.endsWith(".h") || h.changed.length === 0) return [];
    return [
      {
        severity: "warning",
        lines: h.changed,
        message:
          "header change: every file that includes it is rebuilt and every changed function in them is patched; move new macros or helpers into the .c file that needs them, and check that no struct layout or exported prototype changes",
      },
    ];
  },
};
