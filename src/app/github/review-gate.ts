/** Gathers what the review rule needs from the API and publishes `livepatch / safety review`. */
import type { AppConfig } from "../config.js";
import { CHECK } from "../checks.js";
import { evaluateGate, type GateVerdict } from "../gate.js";
import { upsertCheckRun } from "./check-runs.js";
import { httpStatus, type Octokit, type RepoRef } from "./types.js";

export interface GatePull {
  number: number;
  headSha: string;
  author: string;
}

/** Recomputes the gate for `pull` and updates its check run on the head commit. */
export async function publishGate(
  octokit: Octokit,
  ref: RepoRef,
  pull: GatePull,
  config: AppConfig,
  appId?: number,
): Promise<GateVerdict> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
    ...ref,
    pull_number: pull.number,
    per_page: 100,
  });
  const commits = await octokit.paginate(octokit.rest.pulls.listCommits, {
    ...ref,
    pull_number: pull.number,
    per_page: 100,
  });
  const committers = commits
    .flatMap((c) => [c.author?.login, c.committer?.login])
    .filter((l): l is string => !!l && l !== "web-flow");
  const logins = [...new Set(reviews.map((r) => r.user?.login).filter((l): l is string => !!l))];
  const reviewers = new Set<string>();
  for (const login of logins)
    if (await isReviewer(octokit, ref, config, login)) reviewers.add(login);
  const verdict = evaluateGate({
    reviews: reviews.map((r) => ({
      login: r.user?.login ?? "",
      state: r.state,
      commitId: r.commit_id ?? null,
    })),
    headSha: pull.headSha,
    author: pull.author,
    committers,
    reviewers,
    required: config.requiredApprovals,
  });
  const configured = config.reviewers.users.length + config.reviewers.teams.length > 0;
  const lines = [
    ...verdict.approvals.map((l) => `- approved by ${l} on the head commit`),
    ...verdict.blocking.map((l) => `- changes requested by ${l}`),
    ...verdict.ignored.map((i) => `- ${i.login}: not counted (${i.why})`),
  ];
  await upsertCheckRun(
    octokit,
    ref,
    pull.headSha,
    CHECK.review,
    {
      status: "completed",
      conclusion: verdict.ok ? "success" : "failure",
      output: {
        title: verdict.ok ? "approved" : "waiting for a safety review",
        summary: configured
          ? verdict.summary
          : `${verdict.summary}. No reviewers are configured: add reviewers.users or reviewers.teams to .github/livepatch.yml on the default branch.`,
        ...(lines.length ? { text: lines.join("\n") } : {}),
      },
    },
    appId,
  );
  return verdict;
}

async function isReviewer(
  octokit: Octokit,
  ref: RepoRef,
  config: AppConfig,
  login: string,
): Promise<boolean> {
  if (config.reviewers.users.some((u) => u.toLowerCase() === login.toLowerCase())) return true;
  for (const t of config.reviewers.teams) {
    const [org, slug] = t.includes("/") ? (t.split("/") as [string, string]) : [ref.owner, t];
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({
        org,
        team_slug: slug,
        username: login,
      });
      if (data.state === "active") return true;
    } catch (e) {
      if (httpStatus(e) !== 404) throw e;
    }
  }
  return false;
}
