/**
 * What a run records about the event that started it, read from the
 * webhook-shaped payload: the commit, the head branch, the ref the
 * `github` context names, who triggered it and the run's display title.
 */
import type { WorkflowEvent } from "../runner/contract.js";

export interface EventFacts {
  sha: string | undefined;
  headBranch: string;
  ref: string;
  headRef?: string;
  baseRef?: string;
  /** Login of the account that caused the event, when the payload names one. */
  actorLogin: string | undefined;
  title: string | undefined;
  /** `pull-request-minimal` of the PR, empty for pushes, dispatches and forks (as on GitHub). */
  pullRequests: PullRequestMinimal[];
}

export interface PullRequestMinimal {
  id: number;
  number: number;
  url: string;
  head: { ref: string; sha: string; repo: { id: number; url: string; name: string } };
  base: { ref: string; sha: string; repo: { id: number; url: string; name: string } };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

export function eventFacts(event: WorkflowEvent): EventFacts {
  const p = event.payload;
  const actorLogin = str(obj(p.sender).login) ?? str(obj(p.pusher).name);
  if (event.name === "pull_request") {
    const pr = obj(p.pull_request);
    const head = obj(pr.head);
    const headRef = str(head.ref) ?? event.branch;
    return {
      sha: str(head.sha),
      headBranch: headRef,
      ref: `refs/pull/${num(pr.number) ?? num(p.number) ?? 0}/merge`,
      headRef,
      baseRef: event.branch,
      actorLogin,
      title: str(pr.title),
      pullRequests: minimalPull(pr),
    };
  }
  const headCommit = obj(p.head_commit);
  const message = str(headCommit.message);
  return {
    sha: str(p.after),
    headBranch: event.branch,
    ref: str(p.ref) ?? `refs/heads/${event.branch}`,
    actorLogin,
    title: message?.split("\n")[0],
    pullRequests: [],
  };
}

function side(v: unknown): PullRequestMinimal["head"] | undefined {
  const o = obj(v);
  const repo = obj(o.repo);
  const [ref, sha, id, url, name] = [
    str(o.ref),
    str(o.sha),
    num(repo.id),
    str(repo.url),
    str(repo.name),
  ];
  if (
    ref === undefined ||
    sha === undefined ||
    id === undefined ||
    url === undefined ||
    name === undefined
  )
    return undefined;
  return { ref, sha, repo: { id, url, name } };
}

function minimalPull(pr: Obj): PullRequestMinimal[] {
  const head = side(pr.head);
  const base = side(pr.base);
  const [id, number, url] = [num(pr.id), num(pr.number), str(pr.url)];
  if (!head || !base || id === undefined || number === undefined || url === undefined) return [];
  // A fork's pull request is not listed on the base repository's runs.
  if (head.repo.id !== base.repo.id) return [];
  return [{ id, number, url, head, base }];
}
