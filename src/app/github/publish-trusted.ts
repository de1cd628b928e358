/**
 * A trusted build finished (a push run of the build workflow on the default
 * branch, checked on the run as the API returns it): build the next manifest
 * from the previous release's verified manifest and the run's reports, sign,
 * publish v<version> through the publisher, and tell the merged PRs.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import { checkProvenance } from "../../core/provenance.js";
import { prepareRelease } from "../../publisher/prepare-release.js";
import { publishRelease, type PublishResult } from "../../publisher/publish-release.js";
import type { Release } from "../../publisher/release-store.js";
import { readBuildOutputs } from "../../publisher/read-build-outputs.js";
import { latestManifest, resumeWindow } from "../../publisher/release-manifest.js";
import type { AppConfig } from "../config.js";
import type { AppDeps } from "../deps.js";
import { downloadRunArtifacts } from "./artifacts.js";
import { mergedPullsFor } from "./pulls-for-sha.js";
import { cellCode } from "../markdown.js";
import { upsertPrComment } from "./pr-comment.js";
import { carryOver, patchInfos, writeArtifacts } from "./release-inputs.js";
import { octokitReleaseStore } from "./release-store.js";
import { listTreePaths } from "./repo-reader.js";
import type { Octokit, RepoRef } from "./types.js";

export interface TrustedRun {
  id: number;
  headSha: string;
}

export type PublishOutcome =
  | { kind: "published"; result: PublishResult }
  /** The latest release is already this commit's (a redelivery, a re-run, or refreshed since). */
  | { kind: "already"; tag: string }
  /** The run built nothing and removed nothing. */
  | { kind: "nothing" };

/** Publishes the release for `run`, once per commit. */
export async function publishTrustedRun(
  octokit: Octokit,
  ref: RepoRef,
  run: TrustedRun,
  config: AppConfig,
  deps: AppDeps,
  log: (line: string) => void,
): Promise<PublishOutcome> {
  const signer = await deps.signer();
  const keys = [signer.publicKey];
  const store = octokitReleaseStore(octokit, ref);
  const repository = `${ref.owner}/${ref.repo}`;
  const now = deps.now();
  const lifetimeDays = config.manifest.lifetimeHours / 24;
  const dir = await mkdtemp(join(deps.tmpDir ?? tmpdir(), "lpctl-app-publish-"));
  try {
    const latest = await store.getLatestRelease();
    if (latest?.commit === run.headSha) {
      log(`${latest.tag} already holds commit ${run.headSha}: nothing to publish again`);
      return { kind: "already", tag: latest.tag };
    }
    await checkOrder(octokit, ref, latest, run);
    const previous = await latestManifest(store, keys);
    const built = await writeArtifacts(dir, await downloadRunArtifacts(octokit, ref, run.id));
    const existing = new Set(
      (await listTreePaths(octokit, ref, run.headSha))
        .filter((p) => p.endsWith("/target.yaml") && p.startsWith("kernels/"))
        .map((p) => p.split("/")[1] ?? ""),
    );
    const removed = previous?.kernels.some((k) => !existing.has(k.target)) ?? false;
    if (built.length === 0 && !removed) {
      log(`run ${run.id} built no target and removed none: nothing to publish`);
      return { kind: "nothing" };
    }
    const fresh = built.length > 0 ? await readBuildOutputs([dir]) : undefined;
    // provenance: every new report names this run, this commit, this repository.
    if (fresh)
      checkProvenance(fresh.reports, {
        commit: run.headSha,
        repository,
        workflowRun: String(run.id),
      });
    const carried = await carryOver(dir, store, previous, new Set(built), existing);
    log(
      `run ${run.id}: built ${built.join(", ") || "nothing"}; carried over ${carried.join(", ") || "nothing"}`,
    );
    const outputs = await readBuildOutputs([dir]);
    const merged = await mergedPullsFor(octokit, ref, run.headSha);
    const prs = await touchedPatches(octokit, ref, merged);
    const patches = await patchInfos(
      octokit,
      ref,
      run.headSha,
      outputs.reports.flatMap((r) => r.patches.map((p) => p.id)),
      prs,
      previous,
    );
    const version = (previous?.version ?? 0) + 1;
    const window = await resumeWindow(store, `v${version}`, keys, { version, now, lifetimeDays });
    const prepared = await prepareRelease({
      ...(previous ? { previous } : {}),
      outputs,
      patches,
      repository,
      now,
      lifetimeDays,
      signer,
      ...(window ? { window } : {}),
    });
    const result = await publishRelease({
      store,
      version,
      commit: run.headSha,
      files: prepared.files,
      log,
    });
    const url = `${(await octokit.rest.repos.getReleaseByTag({ ...ref, tag: result.release.tag })).data.html_url}`;
    const hosts = prepared.manifest.kernels.map(
      (k) =>
        `| ${cellCode(k.target)} (${cellCode(k.release)}) | ${k.patches.map((p) => `${cellCode(p.id)}${p.cves.length ? ` (${p.cves.map(cellCode).join(", ")})` : ""}`).join("; ")} |`,
    );
    const section = `### Release\n\nPublished [${result.release.tag}](${url}), manifest version ${version}, expires ${prepared.manifest.expires}.\n\n| kernel | patches (CVEs) hosts get |\n| --- | --- |\n${hosts.join("\n")}`;
    for (const n of merged)
      await upsertPrComment(octokit, ref, n, { release: section }, deps.comments);
    return { kind: "published", result };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * rollback: a run is published only on top of what it descends from. When a
 * later merge's run was published first, this older run's modules would
 * drop the later patches from the targets both touch.
 */
async function checkOrder(
  octokit: Octokit,
  ref: RepoRef,
  latest: Release | undefined,
  run: TrustedRun,
): Promise<void> {
  if (latest === undefined) return;
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
    ...ref,
    basehead: `${latest.commit}...${run.headSha}`,
    per_page: 1,
  });
  if (data.status !== "ahead")
    throw new LpctlError(
      "RELEASE_CONFLICT",
      `run ${run.id} built ${run.headSha}, which is not after ${latest.tag}'s commit ${latest.commit} (compare: ${data.status}); a later merge was published first — run the build workflow again on the default branch`,
    );
}

/** Patch id → the merged PR that changed it. */
async function touchedPatches(
  octokit: Octokit,
  ref: RepoRef,
  pulls: readonly number[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const n of pulls) {
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
      ...ref,
      pull_number: n,
      per_page: 100,
    });
    for (const f of files) {
      const m = /^patches\/([^/]+)\//.exec(f.filename);
      if (m?.[1]) out.set(m[1], n);
    }
  }
  return out;
}

/** Why a run that claims to be trusted is not, as a coded error. */
export function untrusted(reason: string): LpctlError {
  return new LpctlError("RUN_UNTRUSTED", `${reason}; nothing is signed`);
}
