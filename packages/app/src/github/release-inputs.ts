/**
 * What the publisher needs for the next version, gathered through the API:
 * the trusted run's build outputs and patch titles and CVEs from the built
 * commit. (Unchanged targets are carried from the app's own signed manifest:
 * publisher/carry-over.ts, never from a release's unsigned assets.)
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  cveDeclaration,
  recordsByTarget,
  type CveDeclaration,
} from "@livepatch-gitops/lpctl/core/cve-records";
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import { patchTargets } from "@livepatch-gitops/lpctl/core/kernel-refs";
import type { PatchInfo } from "@livepatch-gitops/lpctl/core/manifest-build";
import type { Manifest } from "@livepatch-gitops/lpctl/core/manifest";
import type { NotLivePatchable } from "@livepatch-gitops/lpctl/core/not-live-patchable";
import { PatchMetaSchema, type PatchMeta } from "@livepatch-gitops/lpctl/core/patch-meta";
import type { PlanTree } from "@livepatch-gitops/lpctl/core/plan-tree";
import { parseYaml } from "@livepatch-gitops/lpctl/core/yaml-input";
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
    const meta = await patchMetaAt(octokit, ref, sha, id, `the build used patch '${id}'`);
    const pr = prs.get(id) ?? earlier.get(id);
    out[id] = {
      title: meta.title,
      cves: meta.cves,
      ...(meta.upstream ? { commit: meta.upstream } : {}),
      ...(pr !== undefined ? { pr } : {}),
    };
  }
  return out;
}

/**
 * Every target's not-live-patchable records at `sha`: each patch.yaml
 * (records-only directories included), its kernels resolved against the
 * targets there, through the same rule `lpctl validate` and `lpctl publish` apply.
 */
export async function releaseRecords(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  tree: Pick<PlanTree, "targets" | "patches">,
): Promise<Record<string, NotLivePatchable[]>> {
  const decls: CveDeclaration[] = [];
  for (const id of [...tree.patches.keys()].sort()) {
    const meta = await patchMetaAt(octokit, ref, sha, id, "publishing reads every patch's records");
    const { targets } = patchTargets(`patches/${id}/patch.yaml`, meta, tree.targets);
    decls.push(cveDeclaration(id, meta, targets));
  }
  return recordsByTarget(decls);
}

async function patchMetaAt(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  id: string,
  why: string,
): Promise<PatchMeta> {
  const file = `patches/${id}/patch.yaml`;
  const text = (await readFileAt(octokit, ref, file, sha, 256 * 1024))?.text;
  const parsed =
    text === undefined ? undefined : PatchMetaSchema.safeParse(parseYaml(file, text).value);
  if (!parsed?.success)
    throw new LpctlError("PATCH_INVALID", `${file} at ${sha} is missing or invalid; ${why}`);
  return parsed.data;
}
