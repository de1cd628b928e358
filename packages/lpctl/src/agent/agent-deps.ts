import type { Clock } from "../io/clock.js";
import type { AgentConfig } from "./config.js";
import type { Fetcher } from "./fetcher.js";
import type { HostRoot } from "./host-root.js";
import type { LivepatchSysfs } from "./livepatch-sysfs.js";
import type { ModuleLoader } from "./module-loader.js";

/** Everything a sync, status or revert touches, injectable for tests. */
export interface AgentDeps {
  root: HostRoot;
  config: AgentConfig;
  fetcher: Fetcher;
  loader: ModuleLoader;
  sysfs: LivepatchSysfs;
  clock: Clock;
  /** Progress lines for people. */
  log: (line: string) => void;
  /** Machine architecture as manifests spell it (x86_64). */
  arch?: string;
  /**
   * `sync --offline`: the directory of the stored copy `fetcher` reads, whose
   * verification record stands for its signatures (verified-copy.ts).
   */
  storedCopy?: string;
}

/** The state directory as an actual path. */
export const stateDirOf = (deps: Pick<AgentDeps, "root" | "config">): string =>
  deps.root.resolve(deps.config.stateDir);
