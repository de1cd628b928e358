/** Where `lpctl lint` gets the kernel source: `--source DIR`, or `--target ID` through the cache. */
import { lstat } from "node:fs/promises";
import { preparedSourceTree } from "../../builder/lint/build-lint.js";
import { loadBuildInputs } from "../../builder/build/build-inputs.js";
import { resolveCacheDir } from "../../builder/cache/cache-key.js";
import { systemClock } from "../../io/clock.js";
import { prepareKernel } from "../../builder/kernel/prepare.js";
import { acquireLock } from "../../builder/cache/lock.js";
import { execaRunner } from "../../builder/runtime/runner.js";
import { dirSourceTree, type SourceTree } from "../../builder/lint/source-tree.js";
import { LpctlError } from "../../core/errors.js";

export interface SourceFlags {
  source?: string;
  target?: string;
  repo: string;
  cache?: string;
}

export interface LintSource {
  tree: SourceTree;
  /** Releases the prepared tree for builds (a no-op for --source). */
  release(): Promise<void>;
}

/** The tree to lint against, or undefined for diff-only lint. */
export async function lintSourceTree(
  flags: SourceFlags,
  print: (line: string) => void,
): Promise<LintSource | undefined> {
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
    return { tree: dirSourceTree(flags.source, execaRunner), release: () => Promise.resolve() };
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
  // A build patches the prepared tree in place: read it only while no build does.
  const lock = await acquireLock(`${prepared.dir}.build.lock`, undefined, {
    onWait: (pid) => print(`a build (pid ${pid}) is using the kernel tree; waiting`),
  });
  return {
    tree: preparedSourceTree(prepared.tree, prepared.pristine, execaRunner),
    release: () => lock.release(),
  };
}
