/**
 * Real inputs for the agent's VM test: modules built by `lpctl build`'s code
 * (kpatch-build on the cached lab kernel) and mirror directories written by
 * the publisher's code, signed with a freshly generated key; a fourth mirror
 * holds a module no guest can transition (stuck-mirror.ts); a fifth is the
 * release that withdraws both patches (built from the repository's own
 * patch.yaml files, each marked withdrawn: an entry without a module).
 */
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buildModule } from "../../../src/builder/build/build.js";
import { loadBuildInputs } from "../../../src/builder/build/build-inputs.js";
import { resolveCacheDir } from "../../../src/builder/cache/cache-key.js";
import { systemClock } from "../../../src/io/clock.js";
import { prepareKernel } from "../../../src/builder/kernel/prepare.js";
import { readRepoSnapshot } from "../../../src/builder/repo/read-repo.js";
import { execaRunner } from "../../../src/builder/runtime/runner.js";
import { snapshotPlanTree, type PlanTree } from "../../../src/core/plan-tree.js";
import { nextManifest, type PatchInfo } from "../../../src/core/manifest-build.js";
import { kernelManifestName, type Manifest } from "../../../src/core/manifest.js";
import { generateSigningKey } from "../../../src/core/sign/generate-signing-key.js";
import { createOpenpgpSigner } from "../../../src/core/sign/openpgp-signer.js";
import type { Signer } from "../../../src/core/sign/signer.js";
import { readBuildOutputs } from "../../../src/publisher/read-build-outputs.js";
import { releaseFiles } from "../../../src/publisher/release-files.js";
import { writeMirror } from "../../../src/publisher/mirror-directory.js";
import { stuckMirror } from "./stuck-mirror.js";

export const TARGET = "debian-6.1-lab";
const REPO = path.resolve(".");

export interface AgentVmInputs {
  bzImage: string;
  publicKey: string;
  /** v1 (cmdline-banner), v2 (cumulative: both patches), v3 = v2 with a tampered kernel manifest. */
  mirrors: [string, string, string];
  manifests: [Manifest, Manifest];
  /** A mirror of its own whose module never finishes its transition (stuck-mirror.ts). */
  stuck: { mirror: string; manifest: Manifest };
  /** v2's successor: both patches withdrawn, the lab entry without a module. */
  withdrawn: { mirror: string; manifest: Manifest };
  buildId: string;
}

const log = (l: string) => process.stderr.write(`[agent-vm] ${l}\n`);

/**
 * `lpctl build`'s code for `targetId` into <work>/build-<targetId>-<serial>.
 * These files use the modules, they do not test building them: module reuse
 * (LPCTL_REUSE_MODULES, docs/building.md) lets the agent's and the reboot's
 * VM tests share the one lab build they both make (serial 1,
 * cmdline-banner), and every build here uses the per-object engine (8 CPU-s
 * for a lab module against kpatch-build's ~30: kpatch-build relinks vmlinux
 * twice). kpatch-build's own modules are booted by build-vm-test, vm-test,
 * engine-agreement (which also shows both engines patch the same functions)
 * and the app's forge loop.
 */
export async function buildTargetModule(
  work: string,
  targetId: string,
  serial: string,
  patchIds?: string[],
): Promise<string> {
  const outDir = path.join(work, `build-${targetId}-${serial}`);
  await buildModule({
    runner: execaRunner,
    clock: systemClock,
    print: log,
    env: { ...process.env, LPCTL_REUSE_MODULES: "1" },
    repoDir: REPO,
    cacheDir: resolveCacheDir(undefined, process.env),
    targetId,
    ...(patchIds === undefined ? {} : { patchIds }),
    outDir,
    serial,
    engine: "per-object",
    jobs: 2,
  });
  return outDir;
}

async function publish(
  dir: string,
  buildDir: string | undefined,
  patches: Record<string, PatchInfo>,
  signer: Signer,
  previous: Manifest | undefined,
  head?: PlanTree,
): Promise<Manifest> {
  const outputs = buildDir === undefined ? undefined : await readBuildOutputs([buildDir]);
  const manifest = nextManifest({
    ...(previous === undefined ? {} : { previous }),
    reports: outputs?.reports ?? [],
    patches,
    repository: "livepatch-gitops/e2e",
    now: new Date(),
    ...(head === undefined ? {} : { head }),
  });
  const modules = outputs?.modules ?? new Map<string, Uint8Array>();
  await writeMirror(dir, await releaseFiles({ manifest, modules, signer }), log);
  return manifest;
}

export const WITHDRAW_REASON = "withdrawn by the agent VM test";

/** The repository's tree as the plan reads it, with every patch marked withdrawn. */
async function everyPatchWithdrawn(): Promise<PlanTree> {
  const snapshot = await readRepoSnapshot(REPO);
  return snapshotPlanTree(
    snapshot.map((e) =>
      e.text !== undefined && /^patches\/[^/]+\/patch\.yaml$/.test(e.path)
        ? { ...e, text: `${e.text}withdrawn: {reason: "${WITHDRAW_REASON}"}\n` }
        : e,
    ),
  );
}

/** Builds both module versions and writes the three mirrors under a temp dir. */
export async function prepareAgentVmInputs(): Promise<AgentVmInputs> {
  const work = await mkdtemp(path.join(os.tmpdir(), "lpctl-agent-vm-"));
  const { target, patches } = await loadBuildInputs(REPO, TARGET);
  const info: Record<string, PatchInfo> = Object.fromEntries(
    patches.map((p) => [p.id, { title: p.title, cves: p.cves }]),
  );
  const prepared = await prepareKernel(target, {
    runner: execaRunner,
    clock: systemClock,
    print: log,
    cacheDir: resolveCacheDir(undefined, process.env),
    repoDir: REPO,
    jobs: 2,
  });
  const v1Build = await buildTargetModule(work, TARGET, "1", ["cmdline-banner"]);
  const v2Build = await buildTargetModule(work, TARGET, "2");
  const key = await generateSigningKey({ name: "agent e2e", date: new Date(Date.now() - 60_000) });
  const signer = await createOpenpgpSigner(key.privateKey);
  const m1Dir = path.join(work, "m1");
  const m2Dir = path.join(work, "m2");
  const m3Dir = path.join(work, "m3");
  const m1 = await publish(m1Dir, v1Build, info, signer, undefined);
  const m2 = await publish(m2Dir, v2Build, info, signer, m1);
  // Tampered: v2's kernel manifest with a patch title changed, signature kept.
  await cp(m2Dir, m3Dir, { recursive: true });
  const kjson = path.join(m3Dir, kernelManifestName(prepared.buildId));
  const text = await readFile(kjson, "utf8");
  await writeFile(kjson, text.replace("Mark /proc/cmdline", "Mark /proc/cmdLine"));
  const m4Dir = path.join(work, "m4");
  const m4 = await stuckMirror(TARGET, m4Dir, signer, "livepatch-gitops/e2e");
  const m5Dir = path.join(work, "m5");
  const m5 = await publish(m5Dir, undefined, info, signer, m2, await everyPatchWithdrawn());
  return {
    bzImage: path.join(prepared.pristine, "bzImage"),
    publicKey: key.publicKey,
    mirrors: [m1Dir, m2Dir, m3Dir],
    manifests: [m1, m2],
    stuck: { mirror: m4Dir, manifest: m4 },
    withdrawn: { mirror: m5Dir, manifest: m5 },
    buildId: prepared.buildId,
  };
}
