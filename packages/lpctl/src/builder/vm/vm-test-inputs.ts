import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import type { LivePatch } from "../../core/patch-meta.js";
import { loadBuildInputs } from "../build/build-inputs.js";
import type { Clock } from "../../io/clock.js";
import { prepareKernel } from "../kernel/prepare.js";
import type { Runner } from "../runtime/runner.js";
import type { VmCheck } from "./vm-test-report.js";

/** The checks of a cumulative module: the `test:` section of every patch in it that has one. */
export function checksFromPatches(patches: readonly LivePatch[]): VmCheck[] {
  return patches.flatMap((p) =>
    p.test === undefined ? [] : [{ command: p.test.command, expect: p.test.expect }],
  );
}

/** Checks for a target's module as read from the repository (the same patch selection as `lpctl build`). */
export async function repoChecks(repoDir: string, targetId: string): Promise<VmCheck[]> {
  const { patches } = await loadBuildInputs(repoDir, targetId);
  return checksFromPatches(patches);
}

export interface PristineOptions {
  runner: Runner;
  clock: Clock;
  print: (line: string) => void;
  cacheDir: string;
  repoDir: string;
}

/**
 * The target's pristine bzImage from the builder's cache. Goes through
 * prepareKernel, so the cache key is computed exactly as the build computes
 * it (a hit costs a toolchain and source check; a miss prepares the kernel).
 */
export async function pristineBzImage(targetId: string, o: PristineOptions): Promise<string> {
  const { target } = await loadBuildInputs(o.repoDir, targetId);
  const prepared = await prepareKernel(target, o);
  return join(prepared.pristine, "bzImage");
}

/** --expect-command and --expect go together; returns the one check they make, if any. */
export function flagCheck(
  command: string | undefined,
  expect: string | undefined,
): VmCheck | undefined {
  if (command === undefined && expect === undefined) return undefined;
  if (command === undefined || expect === undefined || command === "" || expect === "") {
    throw new LpctlError(
      "USAGE",
      "--expect-command and --expect must be given together, both non-empty",
    );
  }
  return { command, expect };
}
