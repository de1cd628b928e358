import { LpctlError } from "../../core/errors.js";

/** Where vm-test puts its inputs inside the guest. */
export const VM_MODULE_PATH = "/lp/module.ko";
export const VM_TESTS_DIR = "/lp/tests";

const CHECK_TIMEOUT_S = 60;
const SYSFS_NAME = /^[A-Za-z0-9_]+$/;

/**
 * The /init body of a vm-test: load the module, follow the livepatch through
 * its transition in both directions and unload it, reporting each step with
 * markers. Test commands run at three points (before, patched, unloaded) and
 * only their output is reported: the host decides whether the expected text
 * is there, so nothing user-supplied is ever spliced into this script.
 * Every wait is bounded (`pollLimit` polls of 0.1 s): a stuck transition
 * fails its step instead of hanging the VM.
 */
export function vmTestInit(moduleName: string, transitionTimeoutS: number): string {
  if (!SYSFS_NAME.test(moduleName)) {
    throw new LpctlError(
      "MODULE_NAME_INVALID",
      `'${moduleName}' is not a livepatch module name (letters, digits and '_' only); ` +
        "pass the .ko kpatch-build produced, under its own file name",
      { details: { moduleName } },
    );
  }
  const pollLimit = Math.max(1, Math.round(transitionTimeoutS * 10));
  return `
LP_DIR=/sys/kernel/livepatch/${moduleName}
lp_fail() { lp_step "$1" fail "$2"; lp_end; }
lp_wait() {
  n=0
  while eval "$1"; do
    n=$((n + 1))
    [ $n -ge ${pollLimit} ] && return 1
    usleep 100000
  done
  return 0
}
lp_tests() {
  for t in ${VM_TESTS_DIR}/*.sh; do
    [ -e "$t" ] || continue
    # A check that hangs fails itself, not the whole VM run.
    o=$(timeout ${CHECK_TIMEOUT_S} sh "$t" 2>&1) || [ $? != 143 ] || o="$o [timed out after ${CHECK_TIMEOUT_S} s]"
    lp_out "$1-$(basename "$t" .sh)" "$o"
  done
}

lp_tests before
err=$(insmod ${VM_MODULE_PATH} 2>&1) || lp_fail insmod "$err"
lp_step insmod ok "$err"
[ -d "$LP_DIR" ] || lp_fail transition "no $LP_DIR after insmod (livepatches: $(ls /sys/kernel/livepatch 2>&1))"
lp_wait '[ "$(cat "$LP_DIR/transition")" != 0 ]' || lp_fail transition "transition still $(cat "$LP_DIR/transition") after ${transitionTimeoutS}s"
lp_step transition ok "$n polls"
e=$(cat "$LP_DIR/enabled")
[ "$e" = 1 ] || lp_fail enabled "enabled is $e"
lp_step enabled ok ""
lp_tests patched
err=$(echo 0 2>&1 > "$LP_DIR/enabled") || lp_fail disable "echo 0 > enabled: $err"
lp_wait '[ -d "$LP_DIR" ] && [ "$(cat "$LP_DIR/transition" 2>/dev/null)" != 0 ]' || lp_fail disable "unpatch transition stuck after ${transitionTimeoutS}s"
lp_wait '[ -d "$LP_DIR" ]' || lp_fail disable "$LP_DIR still present after ${transitionTimeoutS}s"
lp_step disable ok ""
err=$(rmmod ${moduleName} 2>&1) || lp_fail rmmod "$err"
lp_step rmmod ok ""
lp_tests unloaded
`;
}
