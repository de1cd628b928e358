/**
 * The review half of the demo: bob proposes a patch as a pull request, the
 * app's checks run, the gate refuses a merge and a self-approval, carol's
 * approval opens it, alice merges and the app publishes v2.
 */
import { cp } from "node:fs/promises";
import { join } from "node:path";
import type { Octokit } from "@octokit/rest";
import { check } from "./checks.js";
import { completedCheck, runProgress, wholeLatestRelease } from "./forge-watch.js";
import { waitFor, type Processes } from "./processes.js";
import { GATE, git, octokit, OWNER, PEOPLE, pushUrl, REPO, type Tokens } from "./repository.js";
import type { DemoPaths, ForgeInfo } from "./services.js";
import type { Timeline } from "./timeline.js";

/** Debian's own cloud kernel: what real Debian VMs run, built per changed object, never compiled whole. */
export const TARGET = "debian-12-cloud-amd64";
const R = { owner: OWNER, repo: REPO };
/** A workflow run with a prepared target takes minutes; the demo prepares it before the forge starts. */
export const RUN_WAIT = 30 * 60_000;
const BRANCH = "loadavg-banner";

export interface LoopContext {
  t: Timeline;
  p: DemoPaths;
  procs: Processes;
  forge: ForgeInfo;
  tokens: Tokens;
  /** alice's client: she maintains the repository and watches it. */
  alice: Octokit;
  /** The working copy every person pushes from. */
  wc: string;
}

/** Returns when v2 is published, with the merge → release seconds. */
export async function pullRequestToRelease(c: LoopContext): Promise<number> {
  const { p } = c;
  return reviewedPullRequest(c, {
    branch: BRANCH,
    author: "bob",
    change: (wc) =>
      cp(join(p.root, "packages/lpctl/contrib/demo/loadavg-banner"), join(wc, "patches", BRANCH), {
        recursive: true,
      }),
    message: "patches: mark /proc/loadavg as live-patched (CVE-2026-10003)",
    title: "Mark /proc/loadavg as live-patched",
    body: "Changes loadavg_proc_show() only. CVE-2026-10003 (made up for the demo).",
    checks: ["livepatch / lint", "livepatch / policy", `livepatch / build (${TARGET})`],
    plan: (rows) =>
      check(
        rows.some((r) => r.startsWith(TARGET)),
        `the plan does not build ${TARGET}`,
      ),
    gateHolds: true,
    review: "Reviewed: one function, no data layout change.",
    release: "v2",
  });
}

export interface ReviewedChange {
  branch: string;
  /** Who opens the pull request (carol reviews it, alice merges it). */
  author: "bob" | "alice";
  /** Edits the working copy on the new branch. */
  change: (wc: string) => Promise<unknown>;
  message: string;
  title: string;
  body: string;
  /** The app's checks that must succeed on the head. */
  checks: string[];
  /** Checks the plan rows of the app's comment, when given. */
  plan?: (rows: string[]) => void;
  /** Shows that the gate refuses a merge before review and a self-approval. */
  gateHolds?: boolean;
  review: string;
  /** The release the merge must publish. */
  release: string;
}

/**
 * One change through the whole review loop: a branch, a pull request, the
 * app's checks, carol's approval, alice's merge, the release it publishes.
 * Returns the merge → release seconds.
 */
export async function reviewedPullRequest(c: LoopContext, r: ReviewedChange): Promise<number> {
  const { t, procs, forge, tokens, alice, wc } = c;
  const who = r.author === "bob" ? PEOPLE.author : PEOPLE.maintainer;
  const token = r.author === "bob" ? tokens.author : tokens.maintainer;
  const { pr, head } = await t.step(
    `${r.author} pushes ${r.branch} and opens a pull request`,
    async (h) => {
      await git(wc, who, "checkout", "-q", "-B", r.branch, "main");
      await r.change(wc);
      await git(wc, who, "add", "-A");
      await git(wc, who, "commit", "-q", "-m", r.message);
      const sha = (await git(wc, who, "rev-parse", "HEAD")).stdout.trim();
      await git(wc, who, "push", "-q", pushUrl(forge, token), r.branch);
      const { data } = await octokit(forge, token).rest.pulls.create({
        ...R,
        head: r.branch,
        base: "main",
        title: r.title,
        body: r.body,
      });
      h.note(`${data.html_url} at ${sha.slice(0, 7)}`);
      return { pr: data.number, head: sha };
    },
  );

  await t.step(`checks on pull request #${String(pr)}`, async (h) => {
    for (const name of r.checks) {
      const run = await waitFor(
        name,
        async () => {
          procs.check();
          h.detail(`${name} · ${await runProgress(alice, head).catch(() => "")}`);
          return completedCheck(alice, head, name);
        },
        RUN_WAIT,
        2000,
      );
      h.note(`${name}: ${run.conclusion ?? "?"} — ${run.output.title ?? ""}`);
      check(
        run.conclusion === "success",
        `${name} concluded ${run.conclusion ?? "?"}: ${run.output.summary ?? ""}`,
      );
      if (name === "livepatch / lint" && r.plan) {
        // The plan is in the app's one comment on the pull request, not a check run.
        const plan = await waitFor(
          "the app's comment with the plan",
          () => planOf(alice, pr),
          60_000,
        );
        for (const row of plan) h.note(`plan: ${row}`);
        r.plan(plan);
      }
    }
    const gate = await completedCheck(alice, head, GATE);
    h.note(
      `${GATE}: ${gate?.conclusion ?? "pending"} — ${gate?.output.summary ?? "waiting for a reviewer"}`,
    );
    check(gate?.conclusion !== "success", "the safety review passed before anyone approved");
  });

  if (r.gateHolds)
    await t.step("the gate holds: no merge, no self-approval", async (h) => {
      const merge = await alice.rest.pulls.merge({ ...R, pull_number: pr }).then(
        () => 200,
        (e: { status?: number }) => e.status ?? 0,
      );
      check(merge === 405, `merging before review answered ${String(merge)}, expected 405`);
      h.note(`alice's merge before review: HTTP ${String(merge)} (branch protection)`);
      const self = await octokit(forge, token)
        .rest.pulls.createReview({ ...R, pull_number: pr, event: "APPROVE", commit_id: head })
        .then(
          () => 200,
          (e: { status?: number }) => e.status ?? 0,
        );
      check(
        self === 422,
        `${r.author} approving their own pull request answered ${String(self)}, expected 422`,
      );
      h.note(`${r.author} approving his own pull request: HTTP ${String(self)}`);
    });

  await t.step(`carol approves ${head.slice(0, 7)} → safety review passes`, async (h) => {
    await octokit(forge, tokens.reviewer).rest.pulls.createReview({
      ...R,
      pull_number: pr,
      event: "APPROVE",
      commit_id: head,
      body: r.review,
    });
    const gate = await waitFor(
      "the safety review",
      async () => {
        const run = await completedCheck(alice, head, GATE);
        return run?.conclusion === "success" ? run : undefined;
      },
      120_000,
    );
    h.note(`${GATE}: ${gate.output.summary ?? ""}`);
  });

  const mergedAt = Date.now();
  await t.step(`alice merges → push run → app publishes ${r.release}`, async (h) => {
    const { data } = await alice.rest.pulls.merge({ ...R, pull_number: pr, merge_method: "merge" });
    check(data.merged, "the merge did not happen");
    h.note(`merge commit ${data.sha.slice(0, 7)}`);
    // The working copy follows main, so the next branch starts from the merge.
    await git(wc, PEOPLE.maintainer, "fetch", "-q", pushUrl(forge, tokens.maintainer), "main");
    await git(wc, PEOPLE.maintainer, "checkout", "-q", "-B", "main", "FETCH_HEAD");
    const rel = await waitFor(
      `release ${r.release}`,
      async () => {
        procs.check();
        h.detail(await runProgress(alice, data.sha));
        return wholeLatestRelease(alice, r.release);
      },
      RUN_WAIT,
      2000,
    );
    h.note(`${rel.html_url}: ${rel.assets.length} assets`);
  });
  return (Date.now() - mergedAt) / 1000;
}

/** The plan rows (`target — why`) of the app's comment on pull request `pr`, once it has them. */
async function planOf(kit: Octokit, pr: number): Promise<string[] | undefined> {
  const { data } = await kit.rest.issues.listComments({ ...R, issue_number: pr });
  const body = data.find((cm) => cm.user?.type === "Bot")?.body ?? "";
  const section = body.split("### Plan")[1]?.split("\n###")[0];
  if (section === undefined) return undefined;
  const rows = [...section.matchAll(/^\| `([^`]+)` \| (.*) \|$/gm)].map(
    (m) => `${m[1] ?? ""} — ${m[2] ?? ""}`,
  );
  return rows.length > 0 ? rows : undefined;
}
