/**
 * syscall-define: SYSCALL_DEFINEn() generates wrapper functions around the
 * body, and kpatch's guide asks for its own form (kpatch-syscall.h). On the
 * lab target kpatch-build 0.9.9 builds the plain form (it patches
 * __x64_sys_umask, packages/lpctl/test/fixtures/kpatch-logs/lint/syscall-define.log), so
 * this is a warning to check the running effect, not an error.
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
        severity: "warning",
        lines: [line],
        message: `${fn.name} is a system call: the macro generates wrappers (__x64_sys_*, __se_sys_*, __do_sys_*) and kpatch-build patches whichever the body was inlined into; kpatch's guide asks for ${kpatch}() from kpatch-syscall.h so the patched entry point is the one the syscall table calls; use it, or check the change takes effect (lpctl vm-test)`,
      });
    }
    return hits;
  },
};
