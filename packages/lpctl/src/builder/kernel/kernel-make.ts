/**
 * Running the kernel's make with a reproducible identity: a fixed timestamp,
 * user and host, so the same inputs give the same `uname -v` and the same
 * build on every runner (and kpatch-build's rebuild of the tree matches).
 */
import { LpctlError } from "../../core/errors.js";
import type { Runner } from "../runtime/runner.js";

export const REPRODUCIBLE_ENV: Readonly<Record<string, string>> = {
  KBUILD_BUILD_TIMESTAMP: "Thu Jan  1 00:00:00 UTC 2026",
  KBUILD_BUILD_USER: "lpctl",
  KBUILD_BUILD_HOST: "livepatch-gitops",
  KBUILD_BUILD_VERSION: "1",
  LC_ALL: "C",
};

export interface MakeOptions {
  onLine?: (line: string) => void;
  /** More environment for this make (on top of REPRODUCIBLE_ENV). */
  env?: Record<string, string>;
}

/** `make -C tree args...`; a non-zero exit is KERNEL_BUILD_FAILED with the output tail. */
export async function kernelMake(
  runner: Runner,
  tree: string,
  args: readonly string[],
  opts: MakeOptions = {},
): Promise<string> {
  const lines: string[] = [];
  const r = await runner.run("make", ["-C", tree, ...args], {
    env: { ...REPRODUCIBLE_ENV, ...opts.env },
    onLine: (l) => {
      lines.push(l);
      if (lines.length > 400) lines.shift();
      opts.onLine?.(l);
    },
  });
  if (r.exitCode !== 0) {
    const tail = (lines.length > 0 ? lines : (r.stdout + r.stderr).split("\n")).slice(-30);
    throw new LpctlError(
      "KERNEL_BUILD_FAILED",
      `make ${args.join(" ")} failed (exit ${r.exitCode}):\n${tail.join("\n")}`,
      { details: { logTail: tail } },
    );
  }
  return r.stdout;
}
