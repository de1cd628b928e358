/**
 * After a cumulative module is applied, the one it replaced must be gone
 * from /sys/kernel/livepatch (the kernel disables it when the replace
 * transition completes); then the module itself is removed and its file.
 */
import { unlink } from "node:fs/promises";
import path from "node:path";
import type { AgentDeps } from "./agent-deps.js";
import { modulesDirOf } from "./obtain-module.js";
import type { AppliedModule } from "./state.js";
import { disableAndUnload, type TransitionDeps } from "./transition.js";

export async function retirePrevious(
  deps: AgentDeps,
  tdeps: TransitionDeps,
  previous: AppliedModule | undefined,
  current: { name: string; file: string },
): Promise<void> {
  if (previous === undefined || previous.name === current.name) return;
  const still = await deps.sysfs.patch(previous.name);
  if (still !== undefined) {
    // Not replaced (built without replace mode): take it out explicitly.
    deps.log(`${previous.name} is still registered after the replace; disabling it`);
  }
  const wasLoaded = await deps.sysfs.moduleLoaded(previous.name);
  await disableAndUnload(previous.name, tdeps);
  if (wasLoaded) deps.log(`unloaded previous ${previous.name}`);
  if (previous.file !== current.file) {
    await unlink(path.join(modulesDirOf(deps), path.basename(previous.file))).catch(
      () => undefined,
    );
  }
}
