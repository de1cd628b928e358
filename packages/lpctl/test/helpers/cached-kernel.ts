/**
 * A target's kernel from the build cache (prepared by the builder's own
 * prepareKernel: cached, so this is a lookup): its pristine image and the
 * build-id the builder recorded.
 */
import path from "node:path";
import { loadBuildInputs } from "../../src/builder/build/build-inputs.js";
import { resolveCacheDir } from "../../src/builder/cache/cache-key.js";
import { systemClock } from "../../src/io/clock.js";
import { prepareKernel } from "../../src/builder/kernel/prepare.js";
import { execaRunner } from "../../src/builder/runtime/runner.js";

export interface CachedKernel {
  bzImage: string;
  buildId: string;
  release: string;
}

export async function cachedKernel(targetId: string): Promise<CachedKernel> {
  const repo = path.resolve(".");
  const { target } = await loadBuildInputs(repo, targetId);
  const prepared = await prepareKernel(target, {
    runner: execaRunner,
    clock: systemClock,
    print: (l) => process.stderr.write(`[${targetId}] ${l}\n`),
    cacheDir: resolveCacheDir(undefined, process.env),
    repoDir: repo,
    jobs: 2,
  });
  return {
    bzImage: path.join(prepared.pristine, "bzImage"),
    buildId: prepared.buildId,
    release: target.release,
  };
}
