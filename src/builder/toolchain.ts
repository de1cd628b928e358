/**
 * Toolchain pin: a module built with another compiler than the kernel's may
 * not load (or worse, load and misbehave), so the builder compares the
 * target's pinned compiler identity with the runner's before any build.
 */
import { LpctlError } from "../core/errors.js";
import type { Runner } from "./runner.js";

/** First line of `gcc --version`: the same text Kconfig stores as CONFIG_CC_VERSION_TEXT. */
export async function compilerIdentity(runner: Runner, cc = "gcc"): Promise<string> {
  const r = await runner.run(cc, ["--version"]);
  const first = r.stdout.split("\n")[0]?.trim() ?? "";
  if (r.exitCode !== 0 || first === "") {
    throw new LpctlError("TOOL_MISSING", `'${cc} --version' failed: ${r.stderr.trim()}`);
  }
  return first;
}

export interface ToolchainCheck {
  pinned: string;
  actual: string;
  matches: boolean;
}

/** Compares exact strings: a different Debian revision is a different compiler. */
export function checkToolchain(pinned: string, actual: string): ToolchainCheck {
  return { pinned, actual, matches: pinned.trim() === actual.trim() };
}

/** Throws TOOLCHAIN_MISMATCH unless the compilers match or the mismatch is allowed. */
export function enforceToolchain(check: ToolchainCheck, allowMismatch: boolean): void {
  if (check.matches || allowMismatch) return;
  throw new LpctlError(
    "TOOLCHAIN_MISMATCH",
    `the target pins compiler '${check.pinned}' but this runner has '${check.actual}'; ` +
      `build on a runner with the pinned compiler, or pass --allow-toolchain-mismatch if you know the module is compatible`,
    { details: { pinned: check.pinned, actual: check.actual } },
  );
}
