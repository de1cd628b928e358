/**
 * `lpctl check-config`: the configuration parses, and every pinned key it
 * names is there and is an OpenPGP public key. What an operator runs before
 * enabling the timer, and what the .deb's postinst asks before enabling it.
 */
import type { AgentConfig } from "./config.js";
import type { HostRoot } from "./host-root.js";
import { readPinnedKeys } from "./read-keys.js";

export interface ConfigCheck {
  source: string;
  repository: string;
  threshold: number;
  keys: { file: string; fingerprints: string[] }[];
}

/** Throws CONFIG_INVALID, KEY_MISSING or KEY_INVALID; else describes the configuration. */
export async function checkConfig(root: HostRoot, config: AgentConfig): Promise<ConfigCheck> {
  const armored = await readPinnedKeys({ root, config });
  // Loaded on demand, as sync does: OpenPGP is a third of the agent.
  const v = await import("../core/verify/index.js");
  const keys = [];
  for (const [i, text] of armored.entries()) {
    const parsed = await v.readTrustedKeys([text]);
    keys.push({ file: config.keys[i] ?? "", fingerprints: parsed.map(v.fingerprintOf) });
  }
  return {
    source: config.source,
    repository: config.repository,
    threshold: config.threshold,
    keys,
  };
}
