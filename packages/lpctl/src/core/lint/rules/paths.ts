/** Rules that depend only on which file a hunk patches. */
import type { Severity } from "../finding.js";
import type { Rule } from "../rule.js";
import type { HunkView } from "../view.js";

const VDSO = /(^|\/)vdso\d*(\/|$)|^arch\/[^/]+\/entry\/vdso/;
// kpatch-build checks the top-level lib/ only; arch/*/lib is linked into vmlinux and supported.
const LIB = /^lib\//;

/** Every changed line, comments included: kpatch-build rejects by path, not by content. */
function allChanged(h: HunkView) {
  return [...h.oldSide, ...h.newSide].filter((l) => l.line.kind !== "context");
}

const LINKER_SCRIPT = /\.(lds|ld)(\.S)?$/;

export function unsupportedReason(path: string): string | undefined {
  if (LINKER_SCRIPT.test(path)) {
    return "linker script change: the running kernel's layout was fixed when it was linked, and kpatch-build refuses the file ('unsupported patch to assembly' for a .lds.S); make the fix in C code";
  }
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

const BUILD_FAILS =
  "kpatch-build re-runs kbuild, whose own checks then fail it with an internal error ('cp: cannot stat …/tmp/tmp.….o')";
const GENERATED = /(^|\/)include\/generated\/|(^|\/)include\/config\/|\.mod\.c$|(^|\/)\.config$/;

/**
 * Files a live patch cannot carry because they are not compiled into it:
 * configuration and build rules (kpatch-build fails on them), generated
 * files, and anything else that is neither C nor a header (nothing of it
 * reaches the module).
 */
export function notCodeReason(path: string): { severity: Severity; message: string } | undefined {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (base.startsWith("Kconfig")) {
    return {
      severity: "error",
      message: `Kconfig change: a live patch cannot change the configuration the running kernel was built with; ${BUILD_FAILS}; drop it and make the fix in C code the current configuration builds`,
    };
  }
  if (/^(Makefile|Kbuild)(\..*)?$/.test(base) || base.endsWith(".mk")) {
    return {
      severity: "error",
      message: `build rule change: a live patch carries changed C functions, not build flags or new objects; ${BUILD_FAILS}; drop it and make the fix in C code of an object the kernel already builds`,
    };
  }
  if (GENERATED.test(path)) {
    return {
      severity: "error",
      message:
        "generated file: the build writes it, so it is not in the kernel source (the patch does not apply there) and in a built tree kbuild rewrites it before compiling: the change is lost (built alone, kpatch-build stops with 'no functional changes found'); change the file it is generated from",
    };
  }
  if (/\.[chS]$/.test(path)) return undefined;
  return {
    severity: "warning",
    message:
      "not C code: nothing of this file is compiled into the live patch module, so the running kernel does not see the change (built alone, kpatch-build stops with 'no changed objects found'); keep documentation and scripts out of the live patch",
  };
}

// unsupported-path: kpatch-build's own path check, the README's vDSO limitation,
// and files that are not code a live patch can carry.
export const unsupportedPath: Rule = {
  id: "unsupported-path",
  cOnly: false,
  check(h) {
    const lines = allChanged(h);
    if (lines.length === 0) return [];
    const message = unsupportedReason(h.file.path);
    if (message !== undefined) return [{ severity: "error", lines, message }];
    const notCode = notCodeReason(h.file.path);
    return notCode === undefined ? [] : [{ ...notCode, lines }];
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
