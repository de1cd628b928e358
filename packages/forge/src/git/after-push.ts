/**
 * What follows a push: the repository's `pushed_at`, one `push` webhook per
 * updated ref (GitHub's payload: before/after/commits/head_commit/pusher),
 * pull requests whose head moved get `synchronize`, and the Actions hook
 * sees the push.
 */
import type { ForgeContext } from "../context.js";
import type { RepoRow, UserRow } from "../model/rows.js";
import { ownerOf } from "../model/db.js";
import { changedFiles, logCommits, type CommitInfo } from "./commit-log.js";
import { ZERO_SHA } from "./repos.js";

export interface RefUpdate {
  ref: string;
  before: string;
  after: string;
}

export function refUpdates(before: Map<string, string>, after: Map<string, string>): RefUpdate[] {
  const updates: RefUpdate[] = [];
  for (const [ref, sha] of after) {
    const old = before.get(ref) ?? ZERO_SHA;
    if (old !== sha) updates.push({ ref, before: old, after: sha });
  }
  for (const [ref, sha] of before)
    if (!after.has(ref)) updates.push({ ref, before: sha, after: ZERO_SHA });
  return updates;
}

async function pushedCommits(
  ctx: ForgeContext,
  repo: RepoRow,
  u: RefUpdate,
  others: string[],
): Promise<CommitInfo[]> {
  if (u.after === ZERO_SHA) return [];
  const revs = u.before === ZERO_SHA ? [u.after, "--not", ...others] : [`${u.before}..${u.after}`];
  return (await logCommits(ctx.git, repo.id, revs, 20)).reverse();
}

async function commitJson(
  ctx: ForgeContext,
  repo: RepoRow,
  fullName: string,
  c: CommitInfo,
): Promise<Record<string, unknown>> {
  const files = await changedFiles(ctx.git, repo.id, c.parents[0], c.sha);
  const person = (p: CommitInfo["author"]): Record<string, unknown> => ({
    name: p.name,
    email: p.email,
    date: p.date,
  });
  return {
    id: c.sha,
    tree_id: c.tree,
    distinct: true,
    message: c.message,
    timestamp: c.committer.date,
    url: `${ctx.urls.web}/${fullName}/commit/${c.sha}`,
    author: person(c.author),
    committer: person(c.committer),
    added: files
      .filter((f) => f.status === "A" || f.status === "R" || f.status === "C")
      .map((f) => f.path),
    removed: files.filter((f) => f.status === "D").map((f) => f.path),
    modified: files.filter((f) => f.status === "M" || f.status === "T").map((f) => f.path),
  };
}

export async function afterPush(
  ctx: ForgeContext,
  repo: RepoRow,
  pusher: UserRow,
  updates: RefUpdate[],
): Promise<void> {
  ctx.db.repos.update(repo.id, { pushed_at: ctx.now().toISOString() });
  await ctx.store.commit();
  const fullName = `${ownerOf(ctx.db, repo).login}/${repo.name}`;
  const afterRefs = await ctx.git.refs(repo.id);
  for (const u of updates) {
    const others = [...afterRefs].filter(([ref]) => ref !== u.ref).map(([, sha]) => sha);
    const commits = await pushedCommits(ctx, repo, u, others);
    const commitObjs = await Promise.all(commits.map((c) => commitJson(ctx, repo, fullName, c)));
    const forced =
      u.before !== ZERO_SHA &&
      u.after !== ZERO_SHA &&
      (
        await ctx.git.run(repo.id, ["merge-base", "--is-ancestor", u.before, u.after], {
          allowFail: true,
        })
      ).exitCode !== 0;
    const payload = {
      ref: u.ref,
      before: u.before,
      after: u.after,
      created: u.before === ZERO_SHA,
      deleted: u.after === ZERO_SHA,
      forced,
      base_ref: null,
      compare: `${ctx.urls.web}/${fullName}/compare/${u.before.slice(0, 12)}...${u.after.slice(0, 12)}`,
      commits: commitObjs,
      head_commit: commitObjs.at(-1) ?? null,
      pusher: { name: pusher.login, email: pusher.email },
    };
    ctx.webhooks.emit({ event: "push", repo, sender: pusher, payload });
    if (!u.ref.startsWith("refs/heads/") || u.after === ZERO_SHA) continue;
    const branch = u.ref.slice("refs/heads/".length);
    const files = await changedFiles(
      ctx.git,
      repo.id,
      u.before === ZERO_SHA ? undefined : u.before,
      u.after,
    );
    ctx.hooks.onRepoEvent(repo, {
      name: "push",
      payload,
      branch,
      changedFiles: files.map((f) => f.path),
    });
    for (const listener of ctx.branchPushListeners) await listener(repo, branch, u.after, pusher);
  }
}
