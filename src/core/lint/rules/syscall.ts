/**
 * syscall-define: SYSCALL_DEFINEn() generates wrapper functions around the
 * body, and kpatch needs them rebuilt in its own form (kpatch-syscall.h).
 */
import { changesInFunctions, type Hit, type Rule } from "../rule.js";

const SYSCALL = /^(COMPAT_)?SYSCALL_DEFINE(\d)\(/;

export const syscallDefine: Rule = {
  id: "syscall-define",
  cOnly: true,
  check(h) {
    const hits: Hit[] = [];
    for (const { line, fn } of changesInFunctions(h)) {
      const m = SYSCALL.exec(fn.name);
      if (!m) continue;
      const kpatch = `KPATCH_${m[1] ?? ""}SYSCALL_DEFINE${m[2]}`;
      hits.push({
        severity: "error",
        lines: [line],
        message: `${fn.name} is a system call: the macro's generated wrappers (__x64_sys_*, __se_sys_*) cannot be patched as written; rewrite the definition with ${kpatch}() from kpatch-syscall.h`,
      });
    }
    return hits;
  },
};
