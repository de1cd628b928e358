import { mkdir } from "node:fs/promises";
import { stateDirOf, type AgentDeps } from "./agent-deps.js";
import { modulesDirOf } from "./obtain-module.js";
import { readState, writeState } from "./state.js";
import { acquireSyncLock } from "./sync-lock.js";
import { disableAndUnload } from "./transition.js";

/**
 * `lpctl revert`: disables and unloads the applied live patch and records an
 * opt-out, so the timer does not re-apply it until `lpctl sync --force`.
 */
export async function runRevert(deps: AgentDeps): Promise<string | undefined> {
  const stateDir = stateDirOf(deps);
  await mkdir(modulesDirOf(deps), { recursive: true, mode: 0o700 });
  const lock = await acquireSyncLock(stateDir);
  try {
    const state = await readState(stateDir);
    const name = state.applied?.name;
    if (name !== undefined) {
      await disableAndUnload(name, {
        ...deps,
        timeout: deps.config.transitionTimeout,
        signalAfter: deps.config.signalAfter,
      });
      deps.log(`reverted ${name}: disabled and unloaded`);
    } else {
      deps.log("no live patch applied; recording the opt-out only");
    }
    const next = { ...state, optOut: { at: deps.clock.now().toISOString() } };
    delete next.applied;
    await writeState(stateDir, next);
    deps.log("lpctl sync will not apply patches until lpctl sync --force");
    return name;
  } finally {
    await lock.release();
  }
}
