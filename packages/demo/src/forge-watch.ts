/**
 * Reading the forge as a user would: releases, check runs, workflow runs.
 * Polling answers 404 until things exist, so callers treat errors as "not yet".
 */
import type { Octokit } from "@octokit/rest";
import { OWNER, REPO } from "./repository.js";

const R = { owner: OWNER, repo: REPO };

/** The latest release once it is whole (its signed manifest uploaded), if its tag is `tag`. */
export async function wholeLatestRelease(
  kit: Octokit,
  tag: string,
  repo: { owner: string; repo: string } = R,
) {
  const res = await kit.rest.repos.getLatestRelease(repo).catch(() => undefined);
  const names = res?.data.assets.map((a) => a.name) ?? [];
  return res?.data.tag_name === tag &&
    names.includes("manifest.json") &&
    names.includes("manifest.json.asc")
    ? res.data
    : undefined;
}

export async function checkRun(kit: Octokit, sha: string, name: string) {
  const { data } = await kit.rest.checks.listForRef({ ...R, ref: sha, check_name: name });
  return data.check_runs[0];
}

export async function completedCheck(kit: Octokit, sha: string, name: string) {
  const run = await checkRun(kit, sha, name);
  return run?.status === "completed" ? run : undefined;
}

/** "build #3: plan ✓ · build (debian-6.1-lab) in progress" for the runs at `sha`. */
export async function runProgress(kit: Octokit, sha: string): Promise<string> {
  const { data } = await kit.rest.actions
    .listWorkflowRunsForRepo({ ...R, head_sha: sha })
    .catch(() => ({ data: { workflow_runs: [] } }));
  const parts: string[] = [];
  for (const run of data.workflow_runs) {
    const { data: jobs } = await kit.rest.actions
      .listJobsForWorkflowRun({ ...R, run_id: run.id })
      .catch(() => ({ data: { jobs: [] } }));
    const js = jobs.jobs.map((j) => {
      const state =
        j.status === "completed"
          ? j.conclusion === "success"
            ? "✓"
            : `✗ ${j.conclusion ?? ""}`
          : j.status.replace("_", " ");
      const step =
        j.status === "in_progress"
          ? j.steps?.find((s) => s.status === "in_progress")?.name
          : undefined;
      return `${j.name} ${state}${step ? ` (${step})` : ""}`;
    });
    parts.push(
      `${run.name ?? "run"} #${String(run.run_number)} ${run.event}: ${js.join(" · ") || run.status}`,
    );
  }
  return parts.join("; ") || "waiting for the workflow run";
}
