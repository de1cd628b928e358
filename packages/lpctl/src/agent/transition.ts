/**
 * Enabling and disabling a live patch the way `kpatch load/unload` does:
 * wait for /sys/kernel/livepatch/<m>/transition to clear, signal stalled
 * tasks after a grace period, and on timeout reverse the patch and unload it.
 */
import { LpctlError } from "../core/errors.js";
import type { Clock } from "../io/clock.js";
import type { LivepatchSysfs } from "./livepatch-sysfs.js";
import type { ModuleLoader } from "./module-loader.js";
import { trace } from "./trace.js";

export interface TransitionDeps {
  loader: ModuleLoader;
  sysfs: LivepatchSysfs;
  clock: Clock;
  log: (line: string) => void;
  /** Seconds. */
  timeout: number;
  signalAfter: number;
}

const POLL_MS = 50;

/** Waits until `name`'s transition is over; false on timeout. */
export async function waitTransition(
  name: string,
  deps: TransitionDeps,
  signal: boolean,
): Promise<boolean> {
  const start = deps.clock.monotonicMs();
  let signalled = !signal;
  for (;;) {
    const state = await deps.sysfs.patch(name);
    if (state === undefined || !state.transition) return true;
    const elapsed = deps.clock.monotonicMs() - start;
    if (elapsed >= deps.timeout * 1000) return false;
    if (!signalled && elapsed >= deps.signalAfter * 1000) {
      const sent = await deps.sysfs.signal(name);
      deps.log(
        `${name}: transition still running after ${deps.signalAfter}s; ` +
          (sent ? "signalled the blocking tasks" : "the kernel signals the blocking tasks itself"),
      );
      signalled = true;
    }
    await deps.clock.sleep(POLL_MS);
  }
}

/** Disables `name` (if registered), waits for the transition, then unloads it. */
export async function disableAndUnload(name: string, deps: TransitionDeps): Promise<void> {
  const state = await deps.sysfs.patch(name);
  if (state?.enabled === true) {
    await deps.sysfs.setEnabled(name, false);
    if (!(await waitTransition(name, deps, true))) {
      throw new LpctlError(
        "TRANSITION_TIMEOUT",
        `${name}: disabling did not finish within ${deps.timeout}s; it stays loaded`,
      );
    }
  }
  if (await deps.sysfs.moduleLoaded(name)) await deps.loader.unload(name);
}

/** Loads the module at `file` named `name` and waits until it is fully applied. */
export async function loadAndEnable(
  file: string,
  name: string,
  deps: TransitionDeps,
): Promise<void> {
  await deps.loader.load(file);
  trace("insmod");
  const registered = await deps.sysfs.patch(name);
  if (registered === undefined) {
    await deps.loader.unload(name).catch(() => undefined);
    throw new LpctlError(
      "MODULE_LOAD_FAILED",
      `${file} loaded but /sys/kernel/livepatch/${name} did not appear: not a live patch named ${name}`,
    );
  }
  if (await waitTransition(name, deps, true)) {
    const after = await deps.sysfs.patch(name);
    trace("transition-done");
    if (after?.enabled === true) return;
    throw new LpctlError("MODULE_LOAD_FAILED", `${name} loaded but is not enabled`);
  }
  deps.log(`${name}: transition did not finish within ${deps.timeout}s; reverting it`);
  await deps.sysfs.setEnabled(name, false);
  await waitTransition(name, deps, false);
  await deps.loader.unload(name).catch((e: unknown) => {
    deps.log(`${name}: unload after revert failed: ${(e as Error).message}`);
  });
  throw new LpctlError(
    "TRANSITION_TIMEOUT",
    `${name}: the live patch transition did not finish within ${deps.timeout}s (tasks kept running ` +
      `in patched functions); it was reverted and unloaded. Retry later or raise transitionTimeout`,
  );
}
