/**
 * A manifest entry without a module: every patch this kernel had was
 * withdrawn. The module this agent runs for the kernel is disabled and
 * unloaded (no reboot) and the state records what left; an entry that still
 * has a module replaces the old one the usual way (sync-steps.ts).
 */
import { unlink } from "node:fs/promises";
import path from "node:path";
import type { ManifestKernel } from "../core/manifest.js";
import type { AgentDeps } from "./agent-deps.js";
import { modulesDirOf } from "./obtain-module.js";
import type { AgentState } from "./state.js";
import { disableAndUnload, type TransitionDeps } from "./transition.js";

/** Unloads `live` (this kernel's applied module) because manifest `version`'s `entry` has none. */
export async function withdrawModule(
  deps: AgentDeps,
  tdeps: TransitionDeps,
  base: AgentState,
  live: NonNullable<AgentState["applied"]>,
  entry: ManifestKernel,
  version: number,
  now: Date,
): Promise<AgentState> {
  await disableAndUnload(live.name, tdeps);
  // The stored copy goes too, as after a replace (retire-previous.ts).
  await unlink(path.join(modulesDirOf(deps), path.basename(live.file))).catch(() => undefined);
  const why = (entry.withdrawn ?? []).map((w) => `${w.id}: ${w.reason}`).join("; ");
  deps.log(
    `withdrawn: unloaded ${live.name}; manifest version ${version} has no module for this kernel${why ? ` (${why})` : ""}`,
  );
  const next: AgentState = {
    ...base,
    withdrawal: { name: live.name, version, at: now.toISOString() },
  };
  delete next.applied;
  delete next.failedApply;
  return next;
}
