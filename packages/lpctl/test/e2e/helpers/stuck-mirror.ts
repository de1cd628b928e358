/**
 * A real live patch no guest can transition, for the agent's VM test: the
 * fixture patch packages/lpctl/test/e2e/fixtures/stuck-kthread touches smpboot_thread_fn,
 * which ksoftirqd sleeps in for its whole life, so the kernel never finds
 * that kthread outside the patched function. Built by the per-object engine
 * (as the other agent test modules: helpers/agent-mirrors.ts) from a
 * scratch repository (the lab target and this one patch) on the cached lab
 * kernel, and published into its own mirror as a first manifest.
 */
import { cp, mkdir, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buildModule } from "../../../src/builder/build/build.js";
import { resolveCacheDir } from "../../../src/builder/cache/cache-key.js";
import { systemClock } from "../../../src/io/clock.js";
import { execaRunner } from "../../../src/builder/runtime/runner.js";
import { nextManifest } from "../../../src/core/manifest-build.js";
import type { Manifest } from "../../../src/core/manifest.js";
import type { Signer } from "../../../src/core/sign/signer.js";
import { readBuildOutputs } from "../../../src/publisher/read-build-outputs.js";
import { releaseFiles } from "../../../src/publisher/release-files.js";
import { writeMirror } from "../../../src/publisher/mirror-directory.js";

export const STUCK_PATCH = "stuck-kthread";
export const STUCK_CVE = "CVE-2026-10003";

const log = (l: string) => process.stderr.write(`[agent-vm] ${l}\n`);

/** Builds the stuck module for `target` and writes a mirror with it into `dir`. */
export async function stuckMirror(
  target: string,
  dir: string,
  signer: Signer,
  repository: string,
): Promise<Manifest> {
  const work = await mkdtemp(path.join(os.tmpdir(), "lpctl-stuck-"));
  const repo = path.join(work, "repo");
  await mkdir(path.join(repo, "patches"), { recursive: true });
  await cp(path.resolve("kernels", target), path.join(repo, "kernels", target), {
    recursive: true,
  });
  await cp(
    path.resolve("packages/lpctl/test/e2e/fixtures", STUCK_PATCH),
    path.join(repo, "patches", STUCK_PATCH),
    { recursive: true },
  );
  const outDir = path.join(work, "build");
  await buildModule({
    runner: execaRunner,
    clock: systemClock,
    print: log,
    env: process.env,
    repoDir: repo,
    cacheDir: resolveCacheDir(undefined, process.env),
    targetId: target,
    patchIds: [STUCK_PATCH],
    outDir,
    serial: "9",
    engine: "per-object",
    jobs: 2,
  });
  const outputs = await readBuildOutputs([outDir]);
  const manifest = nextManifest({
    reports: outputs.reports,
    patches: { [STUCK_PATCH]: { title: "Touch smpboot_thread_fn", cves: [STUCK_CVE] } },
    repository,
    now: new Date(),
  });
  await writeMirror(dir, await releaseFiles({ manifest, modules: outputs.modules, signer }), log);
  return manifest;
}
