/**
 * Ready before the reboot: for every kernel installed under /boot but not
 * running, fetch its kernel-<buildId>.json exactly as sync does for the
 * running one (conditional, verified with the same trust and binding rules:
 * current-manifest.ts) and its module (obtain-module.ts), and keep manifest,
 * signatures and module in <stateDir>/kernels/<buildId>/, with the record
 * of that verification (verified-copy.ts), where `lpctl sync --offline`
 * (the boot unit) finds them with no network.
 * Nothing here fails the running kernel's sync: each kernel's outcome,
 * errors included, is recorded in prepared.json for `lpctl status`.
 */
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { isLpctlError } from "../core/errors.js";
import { kernelManifestName } from "../core/manifest.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { stateDirOf, type AgentDeps } from "./agent-deps.js";
import { currentManifest, type VerifiedFiles } from "./current-manifest.js";
import { buildIdOf, errorOf, installedImages, type InstalledImage } from "./installed-images.js";
import { keyChain, type KeyChain } from "./key-chain.js";
import { readKernelIdentity } from "./kernel-identity.js";
import { obtainModule } from "./obtain-module.js";
import {
  readPrepared,
  writePrepared,
  type ImageRecord,
  type PreparedKernel,
  type PreparedState,
} from "./prepared-state.js";
import { readPinnedKeys } from "./read-keys.js";
import { describeEntry } from "./select-entry.js";
import { dropRecord, RECORD_NAME, writeRecord } from "./verified-copy.js";
import type { AgentState } from "./state.js";

/** Where the copy for kernel `buildId` is kept. */
export const preparedDirOf = (deps: Pick<AgentDeps, "root" | "config">, buildId: string) =>
  path.join(stateDirOf(deps), "kernels", buildId);

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** Fetches, verifies and stores kernel `k`'s manifest and module. */
async function prepareOne(
  deps: AgentDeps,
  k: { release: string; buildId: string; image: string },
  last: PreparedKernel | undefined,
  chain: KeyChain,
  now: Date,
): Promise<PreparedKernel> {
  const dir = preparedDirOf(deps, k.buildId);
  const id = { release: k.release, buildId: k.buildId, arch: deps.arch ?? os.machine() };
  // The same checks as for the running kernel, against this kernel's own last manifest.
  const view: AgentState = {
    schema: 1,
    kernel: { release: k.release, buildId: k.buildId },
    ...(last?.manifest === undefined ? {} : { manifest: last.manifest }),
  };
  // A stored copy gone from disk: fetch in full, not conditionally.
  const force = last?.manifest === undefined || !(await exists(path.join(dir, last.manifest.name)));
  let files: VerifiedFiles | undefined;
  const { manifest, trust } = await currentManifest(
    deps,
    view,
    id,
    chain,
    now,
    force,
    (f) => (files = f),
  );
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // While the copy changes it has no record: a crash leaves one the boot verifies in full.
  await dropRecord(dir);
  const keep = new Set([manifest.name, `${manifest.name}.asc`, RECORD_NAME]);
  // An entry without a module (its patches withdrawn) has nothing to keep.
  const entry = manifest.entry?.module
    ? { ...manifest.entry, module: manifest.entry.module }
    : null;
  if (entry !== null) {
    await obtainModule(deps, entry, trust, now, { dir, withSignature: true });
    keep.add(entry.module.file).add(`${entry.module.file}.asc`);
  }
  // The manifest last: a copy never names a module that is not beside it.
  if (files !== undefined) {
    await writeFileAtomic(path.join(dir, files.name), files.body, 0o600);
    await writeFileAtomic(path.join(dir, `${files.name}.asc`), files.signature, 0o600);
  }
  for (const name of await readdir(dir)) {
    if (!keep.has(name)) await rm(path.join(dir, name), { force: true });
  }
  // Last, once manifest and module passed verification and are on disk.
  await writeRecord(dir, k.buildId, manifest, trust, now);
  const ready = entry === null ? "nothing to apply" : describeEntry(entry);
  deps.log(
    `prepared ${k.release} (build-id ${k.buildId}) for its next boot: manifest version ${manifest.version}, ${ready}`,
  );
  return {
    ...k,
    result: entry === null ? "nothing-to-apply" : "ready",
    at: now.toISOString(),
    manifest,
  };
}

async function prepareOrRecord(
  deps: AgentDeps,
  k: { release: string; buildId: string; image: string },
  last: PreparedKernel | undefined,
  chain: () => Promise<KeyChain>,
  now: Date,
): Promise<PreparedKernel> {
  try {
    return await prepareOne(deps, k, last, await chain(), now);
  } catch (e) {
    const at = now.toISOString();
    if (isLpctlError(e, "KERNEL_NOT_COVERED")) {
      deps.log(
        `installed kernel ${k.release} (build-id ${k.buildId}) is not covered: the source has no ${kernelManifestName(k.buildId)}`,
      );
      await rm(preparedDirOf(deps, k.buildId), { recursive: true, force: true });
      return { ...k, result: "not-covered", at };
    }
    // A verified copy from an earlier run stays, with its record if it was complete.
    deps.log(
      `could not prepare installed kernel ${k.release}: ${errorOf(e).code}: ${errorOf(e).message}`,
    );
    return {
      ...k,
      result: "failed",
      at,
      ...(last?.manifest === undefined ? {} : { manifest: last.manifest }),
      error: errorOf(e),
    };
  }
}

/**
 * Prepares every installed kernel but the running one and drops the copies
 * of kernels whose image is gone. `state` is the state the sync ends with
 * (its trust is reused). Never throws for one kernel's failure.
 */
export async function prepareInstalled(
  deps: AgentDeps,
  state: AgentState,
  now: Date,
): Promise<void> {
  const stateDir = stateDirOf(deps);
  const running = await readKernelIdentity(deps.root, deps.arch);
  const previous = await readPrepared(stateDir);
  // The trust the sync ended with; a kernel's manifest may still name a newer key list.
  let chain: KeyChain | undefined;
  const chainOnce = async () =>
    (chain ??= keyChain(deps, state.trust, await readPinnedKeys(deps), now));
  const images: ImageRecord[] = [];
  const kernels: PreparedKernel[] = [];
  const installed: InstalledImage[] = await installedImages(deps.root);
  for (const img of installed) {
    let buildId: string;
    try {
      buildId = (await buildIdOf(deps.root, img, previous.images)).buildId;
    } catch (e) {
      deps.log(`cannot read the build-id of ${img.path}: ${errorOf(e).message}`);
      const error = errorOf(e);
      kernels.push({
        release: img.release,
        buildId: null,
        image: img.path,
        result: "failed",
        at: now.toISOString(),
        error,
      });
      continue;
    }
    images.push({ path: img.path, size: img.size, mtimeMs: img.mtimeMs, buildId });
    if (buildId === running.buildId || kernels.some((k) => k.buildId === buildId)) continue;
    const last = previous.kernels.find((k) => k.buildId === buildId);
    kernels.push(
      await prepareOrRecord(
        deps,
        { release: img.release, buildId, image: img.path },
        last,
        chainOnce,
        now,
      ),
    );
  }
  // A kernel whose image is gone will not boot again: its copy goes. So does
  // the running kernel's once this sync verified its manifest online: a copy
  // older than the state's manifest would be refused as a rollback at boot.
  const keep = new Set(images.map((i) => i.buildId));
  if (state.kernel?.buildId === running.buildId && state.manifest !== undefined) {
    keep.delete(running.buildId);
  }
  const root = path.join(stateDir, "kernels");
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!keep.has(name)) await rm(path.join(root, name), { recursive: true, force: true });
  }
  const next: PreparedState = { schema: 1, images, kernels };
  // An idle sync (same images, nothing prepared) changes nothing: no write, no fsync.
  if (JSON.stringify(next) !== JSON.stringify(previous)) await writePrepared(stateDir, next);
}
