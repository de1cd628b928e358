/** Where `lpctl lint` gets the kernel source: `--source DIR`, or `--target ID` through the cache. */
import { lstat } from "node:fs/promises";
import { preparedSourceTree } from "../../builder/build-lint.js";
import { loadBuildInputs } from "../../builder/build-inputs.js";
import { resolveCacheDir } from "../../builder/cache-key.js";
import { systemClock } from "../../builder/clock.js";
import { prepareKernel } from "../../builder/prepare.js";
import { execaRunner } from "../../builder/runner.js";
import { dirSourceTree, type SourceTree } from "../../builder/source-tree.js";
import { LpctlError } from "../../core/errors.js";

export interface SourceFlags {
  source?: string;
  target?: string;
  repo: string;
  cache?: string;
}

/** The tree to lint against, or undefined for diff-only lint. */
export async function lintSourceTree(
  flags: SourceFlags,
  print: (line: string) => void,
): Promise<SourceTree | undefined> {
  if (flags.source !== undefined && flags.target !== undefined) {
    throw new LpctlError("USAGE", "give either --source DIR or --target ID, not both");
  }
  if (flags.source !== undefined) {
    const st = await lstat(flags.source).catch(() => undefined);
    if (!st?.isDirectory()) {
      throw new LpctlError(
        "SOURCE_UNAVAILABLE",
        `--source ${flags.source}: not a directory; point it at a kernel source tree`,
      );
    }
    return dirSourceTree(flags.source, execaRunner);
  }
  if (flags.target === undefined) return undefined;
  const { target } = await loadBuildInputs(flags.repo, flags.target);
  const prepared = await prepareKernel(target, {
    runner: execaRunner,
    clock: systemClock,
    print,
    repoDir: flags.repo,
    cacheDir: resolveCacheDir(flags.cache, process.env),
  });
  return preparedSourceTree(prepared.tree, prepared.pristine, execaRunner);
}
