/** Whether a review's author is a configured reviewer: a listed user, or an active team member. */
import type { AppConfig } from "@livepatch-gitops/lpctl/core/livepatch-config";
import { httpStatus, type Octokit, type RepoRef } from "./types.js";

export async function isReviewer(
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
