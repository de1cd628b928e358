import { LpctlError } from "../../core/errors.js";
import type { KernelTarget } from "../../core/target.js";
import { kernelMake } from "./kernel-make.js";
import type { Runner } from "../runtime/runner.js";

/**
 * Hosts match modules by `uname -r`, so a tree whose release differs from
 * the target's `release` would build modules no host ever picks. Checked
 * right after configuring, before the long build.
 */
export async function releaseCheck(
  runner: Runner,
  tree: string,
  target: KernelTarget,
): Promise<string> {
  const release = (await kernelMake(runner, tree, ["-s", "kernelrelease"])).trim();
  if (release !== target.release) {
    throw new LpctlError(
      "KERNEL_BUILD_FAILED",
      `the configured tree reports kernel release '${release}' but target ${target.id} says '${target.release}'; fix 'release' in its target.yaml (or the config's LOCALVERSION)`,
      { details: { release, expected: target.release } },
    );
  }
  return release;
}
