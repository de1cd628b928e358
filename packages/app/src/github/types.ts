/** What every GitHub-side helper of the app gets: an installation's Octokit and the repository. */
import type { ProbotOctokit } from "probot";

export type Octokit = ProbotOctokit;

// A type alias, not an interface: Octokit's parameter types need its implicit index signature.
export type RepoRef = { owner: string; repo: string };

/** The HTTP status of an Octokit RequestError, if it is one. */
export function httpStatus(e: unknown): number | undefined {
  return typeof e === "object" && e !== null && "status" in e && typeof e.status === "number"
    ? e.status
    : undefined;
}
