/**
 * Every host path (/proc, /sys, /etc, /var/lib) goes through a root
 * directory, so the agent runs unprivileged against a fake tree in tests and
 * for real (root "/") on a host.
 */
import path from "node:path";

export interface HostRoot {
  /** The root directory, absolute. */
  readonly dir: string;
  /** `abs` (an absolute host path such as /sys/kernel/notes) under the root. */
  resolve(abs: string): string;
}

/** The agent's state directory unless the config's stateDir says otherwise (the units' StateDirectory=lpctl). */
export const DEFAULT_STATE_DIR = "/var/lib/lpctl";

/** A HostRoot at `dir` ("/" on a real host). */
export function hostRoot(dir: string): HostRoot {
  const root = path.resolve(dir);
  return {
    dir: root,
    resolve: (abs) => (root === "/" ? path.resolve(abs) : path.join(root, path.resolve("/", abs))),
  };
}

/** The root from `--root`, else LPCTL_ROOT, else "/". */
export function rootFromEnv(option: string | undefined, env: NodeJS.ProcessEnv): HostRoot {
  return hostRoot(option ?? env.LPCTL_ROOT ?? "/");
}
