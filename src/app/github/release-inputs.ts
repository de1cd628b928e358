/**
 * What the publisher needs for the next version, gathered through the API:
 * the trusted run's build outputs, the unchanged targets carried over from
 * the previous release (each module checked against the previous, verified
 * manifest), and patch titles and CVEs from the built commit.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import type { PatchInfo } from "../../core/manifest-build.js";
import type { Manifest } from "../../core/manifest.js";
import { PatchMetaSchema } from "../../core/patch-meta.js";
import { parseYaml } from "../../core/yaml-input.js";
import type { ReleaseStore } from "../../publisher/release-store.js";
import { artifactTarget } from "../build-artifact.js";
import type { Artifact } from "./artifacts.js";
import { readFileAt } from "./repo-reader.js";
import type { Octokit, RepoRef } from "./types.js";

/** Writes each build artifact's top-level files to `dir/<target>/`; returns the targets. */
export async function writeArtifacts(
  dir: string,
  artifacts: readonly Artifact[],
): Promise<string[]> {
  const targets: string[] = [];
  for (const a of artifacts) {
    const target = artifactTarget(a.name);
    if (target === undefined) continue;
    if ("error" in a) throw a.error;
    await mkdir(join(dir, target), { recursive: true });
    for (const [name, bytes] of a.files)
      if (!name.includes("/")) await writeFile(join(dir, target, name), bytes);
    targets.push(target);
  }
  return targets;
}

/**
 * Copies the previous release's module and report for every target it served
 * that this run did not rebuild and that still exists, into `dir/<target>/`.
 */
export async function carryOver(
  dir: string,
  store: ReleaseStore,
  previous: Manifest | undefined,
  rebuilt: ReadonlySet<string>,
  existing: ReadonlySet<string>,
): Promise<string[]> {
  if (previous === undefined) return [];
  const keep = previous.kernels.filter((k) => !rebuilt.has(k.target) && existing.has(k.target));
  if (keep.length === 0) return [];
  const release = await store.getLatestRelease();
  if (release === undefined)
    throw new LpctlError(
      "RELEASE_FAILED",
      "the latest release disappeared while publishing; retry",
    );
  const assets = new Map((await store.listAssets(release)).map((a) => [a.name, a]));
  for (const k of keep) {
    const report = assets.get(`build-report-${k.target}.json`);
    const module = assets.get(k.module.file);
    if (report === undefined || module === undefined)
      throw new LpctlError(
        "RELEASE_FAILED",
        `${release.tag} lacks ${k.module.file} or build-report-${k.target}.json to carry '${k.target}' over; rebuild it (workflow_dispatch)`,
      );
    const bytes = await store.downloadAsset(release, module);
    // Only what the verified previous manifest names is carried, byte for byte.
    if (createHash("sha256").update(bytes).digest("hex") !== k.module.sha256)
      throw new LpctlError(
        "DIGEST_MISMATCH",
        `${release.tag}/${k.module.file} does not match the previous manifest; refusing to carry it over`,
      );
    await mkdir(join(dir, k.target), { recursive: true });
    await writeFile(join(dir, k.target, k.module.file), bytes);
    await writeFile(
      join(dir, k.target, "build-report.json"),
      await store.downloadAsset(release, report),
    );
  }
  return keep.map((k) => k.target);
}

/** Titles, CVEs and upstream commits of `ids` at `sha`; PR numbers from `prs` (new) or the previous manifest. */
export async function patchInfos(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  ids: readonly string[],
  prs: ReadonlyMap<string, number>,
  previous: Manifest | undefined,
): Promise<Record<string, PatchInfo>> {
  const earlier = new Map(
    previous?.kernels.flatMap((k) => k.patches.map((p) => [p.id, p.pr] as const)) ?? [],
  );
  const out: Record<string, PatchInfo> = {};
  for (const id of [...new Set(ids)].sort()) {
    const file = `patches/${id}/patch.yaml`;
    const text = (await readFileAt(octokit, ref, file, sha, 256 * 1024))?.text;
    const parsed =
      text === undefined ? undefined : PatchMetaSchema.safeParse(parseYaml(file, text).value);
    if (!parsed?.success)
      throw new LpctlError(
        "PATCH_INVALID",
        `${file} at ${sha} is missing or invalid; the build used patch '${id}'`,
      );
    const pr = prs.get(id) ?? earlier.get(id);
    out[id] = {
      title: parsed.data.title,
      cves: parsed.data.cves,
      ...(parsed.data.upstream ? { commit: parsed.data.upstream } : {}),
      ...(pr !== undefined ? { pr } : {}),
    };
  }
  return out;
}
