/**
 * Toolchain pin: a module built with another compiler than the kernel's may
 * not load (or worse, load and misbehave), so the builder compares the
 * target's pinned compiler identity with the runner's before any build.
 */
import { LpctlError } from "../../core/errors.js";
import type { Runner } from "../runtime/runner.js";

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
  pinned: string | undefined;
  actual: string;
  matches: boolean;
}

/** Compares exact strings: a different Debian revision is a different compiler. */
export function checkToolchain(pinned: string | undefined, actual: string): ToolchainCheck {
  return { pinned, actual, matches: pinned !== undefined && pinned.trim() === actual.trim() };
}

/** `gcc (Debian 12.2.0-14+deb12u1) 12.2.0` → the Debian package and version that provide it. */
export function compilerPackage(
  identity: string,
): { package: string; version: string } | undefined {
  // Debian's own kernels record `gcc-12 (Debian …) 12.2.0`: the versioned driver name.
  const m = /^gcc(?:-\d+)? \(Debian ([^)\s]+)\) (\d+)\./.exec(identity.trim());
  return m?.[1] && m[2] ? { package: `gcc-${m[2]}`, version: m[1] } : undefined;
}

/** Throws TOOLCHAIN_MISMATCH unless the compilers match or the mismatch is allowed. */
export function enforceToolchain(check: ToolchainCheck, allowMismatch: boolean): void {
  if (check.matches || allowMismatch) return;
  const pkg = check.pinned === undefined ? undefined : compilerPackage(check.pinned);
  const how = pkg
    ? `install it (apt-get install ${pkg.package}=${pkg.version} cpp-${pkg.package.slice(4)}=${pkg.version}; ` +
      `apt-cache madison ${pkg.package} lists what your apt sources offer, older revisions are on snapshot archives) ` +
      `or build on a runner that has it`
    : `build on a runner with that compiler`;
  throw new LpctlError(
    "TOOLCHAIN_MISMATCH",
    `the kernel was built with '${check.pinned ?? "?"}' but this runner has '${check.actual}'; ` +
      `kpatch-build needs the kernel's exact compiler: ${how}; ` +
      `pass --allow-toolchain-mismatch only if you know the module is compatible`,
    { details: { pinned: check.pinned, actual: check.actual, package: pkg ?? null } },
  );
}
