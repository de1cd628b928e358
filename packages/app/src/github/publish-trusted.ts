/**
 * A trusted build finished (a push run of the build workflow on the default
 * branch, checked on the run as the API returns it). It is published only
 * when its commit is still the branch's tip and descends from the commit the
 * app published last (its own record, not GitHub's "latest"); every target
 * the change from that commit plans must have an artifact; targets not
 * rebuilt are carried from the app's last signed manifest. Then the shared
 * publisher orchestration (publishNext) signs and publishes v<N>, N above
 * anything the app published and on a tag nobody else holds.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import type { PublishResult } from "@livepatch-gitops/lpctl/publisher/publish-release";
import { readBuildOutputs } from "@livepatch-gitops/lpctl/publisher/read-build-outputs";
import type { AppConfig } from "@livepatch-gitops/lpctl/core/livepatch-config";
import type { AppDeps } from "../deps.js";
import type { PublishRecord } from "../publish-state.js";
import { downloadRunArtifacts } from "./artifacts.js";
import { publishAndRecord, publishBase } from "./publish-base.js";
import { mergedPullsFor } from "./pulls-for-sha.js";
import { upsertPrComment } from "./pr-comment.js";
import { patchInfos, releaseRecords, writeArtifacts } from "./release-inputs.js";
import { releaseSection } from "../release-section.js";
import { requiredTargets } from "./required-targets.js";
import { withdrawnTargets } from "@livepatch-gitops/lpctl/core/withdrawn";
import { ringsChanged } from "./rings-changed.js";
import type { Octokit, RepoRef } from "./types.js";

export interface TrustedRun {
  id: number;
  headSha: string;
  /** The default branch the run must still be the tip of. */
  branch: string;
}

export type PublishOutcome =
  | { kind: "published"; result: PublishResult }
  /** The app's record already holds this commit (a redelivery or a re-run). */
  | { kind: "already"; tag: string }
  /** The change affects no target and removes none. */
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
  const base = await publishBase(octokit, ref, deps, log);
  const { record, manifest: previous } = base.state;
  if (record?.commit === run.headSha) {
    log(`${record.tag} already holds commit ${run.headSha}: nothing to publish again`);
    return { kind: "already", tag: record.tag };
  }
  await checkTip(octokit, ref, run);
  if (record) await checkOrder(octokit, ref, record, run);
  const repository = `${ref.owner}/${ref.repo}`;
  const now = deps.clock.now();
  const required = await requiredTargets(octokit, ref, record?.commit, run.headSha);
  const dir = await mkdtemp(join(deps.tmpDir ?? tmpdir(), "lpctl-app-publish-"));
  try {
    const built = await writeArtifacts(dir, await downloadRunArtifacts(octokit, ref, run.id));
    const missing = required.targets.filter((t) => !built.includes(t));
    if (missing.length > 0)
      throw new LpctlError(
        "ARTIFACT_MISSING",
        `run ${run.id} has no build-${missing.join(", build-")} artifact, but the change from ${record ? `${record.tag}'s commit ${record.commit}` : "nothing published"} to ${run.headSha} rebuilds ${missing.join(", ")}; nothing is published without them — re-run the build workflow's jobs for this commit (its artifacts may have been deleted or expired)`,
        { details: { missing } },
      );
    const removed = previous?.kernels.some((k) => !required.existing.has(k.target)) ?? false;
    const withdrawing = withdrawnTargets(previous, required.head);
    // A promotion builds nothing: the rings file changing is itself the change to publish.
    const rings =
      previous !== undefined && (await ringsChanged(octokit, ref, record?.commit, run.headSha));
    if (built.length === 0 && !removed && withdrawing.length === 0 && !rings) {
      log(
        `run ${run.id} built no target, the change removes or withdraws none and moves no ring: nothing to publish`,
      );
      return { kind: "nothing" };
    }
    const outputs = built.length > 0 ? await readBuildOutputs([dir]) : undefined;
    log(`run ${run.id}: built ${built.join(", ") || "nothing"}`);
    const merged = await mergedPullsFor(octokit, ref, run.headSha);
    const prs = await touchedPatches(octokit, ref, merged);
    const patches = await patchInfos(
      octokit,
      ref,
      run.headSha,
      (outputs?.reports ?? []).flatMap((r) => r.patches.map((p) => p.id)),
      prs,
      previous,
    );
    // The tip may have moved while the artifacts were read: check again before signing.
    await checkTip(octokit, ref, run);
    const next = await publishAndRecord(base, run.headSha, {
      // provenance: every new report names this run, this commit, this repository.
      ...(outputs
        ? { outputs, provenance: { commit: run.headSha, repository, workflowRun: String(run.id) } }
        : {}),
      // Targets the change removed from kernels/ are not carried.
      keep: (target) => required.existing.has(target),
      head: required.head,
      patches,
      records: await releaseRecords(octokit, ref, run.headSha, required.head),
      repository,
      now,
      lifetimeDays: config.manifest.lifetimeHours / 24,
      log,
    });
    const result = next.release as PublishResult;
    const url = `${(await octokit.rest.repos.getReleaseByTag({ ...ref, tag: next.tag })).data.html_url}`;
    const section = releaseSection(next.manifest, next.tag, url);
    for (const n of merged)
      await upsertPrComment(octokit, ref, n, { release: section }, deps.comments);
    return { kind: "published", result };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * rollback: only the default branch's tip is published. An older run that
 * completes late (say, before a revert's run) would otherwise become the
 * latest release with the content the revert removed.
 */
async function checkTip(octokit: Octokit, ref: RepoRef, run: TrustedRun): Promise<void> {
  const { data } = await octokit.rest.repos.getBranch({ ...ref, branch: run.branch });
  if (data.commit.sha !== run.headSha)
    throw new LpctlError(
      "RUN_SUPERSEDED",
      `run ${run.id} built ${run.headSha}, but ${run.branch} is now at ${data.commit.sha}: only the tip is published. The tip's own push run publishes it; if the tip started no run (a change outside kernels/ and patches/), or its run failed or was cancelled, run the build workflow on ${run.branch} (Actions → build → Run workflow): it builds every target at the tip`,
    );
}

/**
 * rollback: a run is published only on top of what the app published last
 * (its record), never on a commit that does not descend from it.
 */
async function checkOrder(
  octokit: Octokit,
  ref: RepoRef,
  record: PublishRecord,
  run: TrustedRun,
): Promise<void> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
    ...ref,
    basehead: `${record.commit}...${run.headSha}`,
    per_page: 1,
  });
  if (data.status !== "ahead")
    throw new LpctlError(
      "RELEASE_CONFLICT",
      `run ${run.id} built ${run.headSha}, which is not after ${record.tag}'s commit ${record.commit} (compare: ${data.status}); the app publishes only forward from what it published last`,
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
