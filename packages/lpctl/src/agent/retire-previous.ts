/**
 * After a cumulative module is applied, the one it replaced must be gone
 * from /sys/kernel/livepatch: the kernel disables it when the replace
 * transition completes and frees its sysfs entry from a work queue a moment
 * later. Then the module itself is removed, and its file.
 */
import { unlink } from "node:fs/promises";
import path from "node:path";
import type { AgentDeps } from "./agent-deps.js";
import { modulesDirOf } from "./obtain-module.js";
import type { AppliedModule } from "./state.js";
import { disableAndUnload, type TransitionDeps } from "./transition.js";

const SETTLE_MS = 5_000;
const POLL_MS = 50;

async function settled(deps: AgentDeps, name: string): Promise<boolean> {
  const start = deps.clock.monotonicMs();
  for (;;) {
    const state = await deps.sysfs.patch(name);
    if (state === undefined) return true;
    // Still enabled: not a replace-mode module; the caller disables it.
    if (state.enabled || deps.clock.monotonicMs() - start > SETTLE_MS) return false;
    await deps.clock.sleep(POLL_MS);
  }
}

/** Unloads with a few retries: the module stays busy until its patch is freed. */
async function unloadRetrying(deps: AgentDeps, tdeps: TransitionDeps, name: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await disableAndUnload(name, tdeps);
      return;
    } catch (e) {
      if (attempt >= 5) throw e;
      await deps.clock.sleep(500);
    }
  }
}

export async function retirePrevious(
  deps: AgentDeps,
  tdeps: TransitionDeps,
  previous: AppliedModule | undefined,
  current: { name: string; file: string },
): Promise<void> {
  if (previous === undefined || previous.name === current.name) return;
  if (!(await settled(deps, previous.name))) {
    deps.log(`${previous.name} is still registered after the replace; disabling it`);
  }
  const wasLoaded = await deps.sysfs.moduleLoaded(previous.name);
  await unloadRetrying(deps, tdeps, previous.name);
  if (wasLoaded) deps.log(`unloaded previous ${previous.name}`);
  if (previous.file !== current.file) {
    await unlink(path.join(modulesDirOf(deps), path.basename(previous.file))).catch(
      () => undefined,
    );
  }
}
