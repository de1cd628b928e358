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
  const { t, p, procs, forge, tokens, alice, wc } = c;
  const { pr, head } = await t.step(`bob pushes ${BRANCH} and opens a pull request`, async (h) => {
    await git(wc, PEOPLE.author, "checkout", "-q", "-b", BRANCH);
    await cp(join(p.root, "contrib/demo/loadavg-banner"), join(wc, "patches", BRANCH), {
      recursive: true,
    });
    await git(wc, PEOPLE.author, "add", "-A");
    await git(
      wc,
      PEOPLE.author,
      "commit",
      "-q",
      "-m",
      "patches: mark /proc/loadavg as live-patched (CVE-2026-10003)",
    );
    const sha = (await git(wc, PEOPLE.author, "rev-parse", "HEAD")).stdout.trim();
    await git(wc, PEOPLE.author, "push", "-q", pushUrl(forge, tokens.author), BRANCH);
    const { data } = await octokit(forge, tokens.author).rest.pulls.create({
      ...R,
      head: BRANCH,
      base: "main",
      title: "Mark /proc/loadavg as live-patched",
      body: "Changes loadavg_proc_show() only. CVE-2026-10003 (made up for the demo).",
    });
    h.note(`${data.html_url} at ${sha.slice(0, 7)}`);
    return { pr: data.number, head: sha };
  });

  await t.step(`checks on pull request #${String(pr)}`, async (h) => {
    const names = ["livepatch / lint", "livepatch / policy", `livepatch / build (${TARGET})`];
    for (const name of names) {
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
      if (name === "livepatch / lint") {
        // The plan is in the app's one comment on the pull request, not a check run.
        const plan = await waitFor(
          "the app's comment with the plan",
          () => planOf(alice, pr),
          60_000,
        );
        for (const row of plan) h.note(`plan: ${row}`);
        check(
          plan.some((r) => r.startsWith(TARGET)),
          `the plan does not build ${TARGET}`,
        );
      }
    }
    const gate = await completedCheck(alice, head, GATE);
    h.note(
      `${GATE}: ${gate?.conclusion ?? "pending"} — ${gate?.output.summary ?? "waiting for a reviewer"}`,
    );
    check(gate?.conclusion !== "success", "the safety review passed before anyone approved");
  });

  await t.step("the gate holds: no merge, no self-approval", async (h) => {
    const merge = await alice.rest.pulls.merge({ ...R, pull_number: pr }).then(
      () => 200,
      (e: { status?: number }) => e.status ?? 0,
    );
    check(merge === 405, `merging before review answered ${String(merge)}, expected 405`);
    h.note(`alice's merge before review: HTTP ${String(merge)} (branch protection)`);
    const self = await octokit(forge, tokens.author)
      .rest.pulls.createReview({ ...R, pull_number: pr, event: "APPROVE", commit_id: head })
      .then(
        () => 200,
        (e: { status?: number }) => e.status ?? 0,
      );
    check(
      self === 422,
      `bob approving his own pull request answered ${String(self)}, expected 422`,
    );
    h.note(`bob approving his own pull request: HTTP ${String(self)}`);
  });

  await t.step(`carol approves ${head.slice(0, 7)} → safety review passes`, async (h) => {
    await octokit(forge, tokens.reviewer).rest.pulls.createReview({
      ...R,
      pull_number: pr,
      event: "APPROVE",
      commit_id: head,
      body: "Reviewed: one function, no data layout change.",
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
  await t.step("alice merges → push run → app publishes v2", async (h) => {
    const { data } = await alice.rest.pulls.merge({ ...R, pull_number: pr, merge_method: "merge" });
    check(data.merged, "the merge did not happen");
    h.note(`merge commit ${data.sha.slice(0, 7)}`);
    const rel = await waitFor(
      "release v2",
      async () => {
        procs.check();
        h.detail(await runProgress(alice, data.sha));
        return wholeLatestRelease(alice, "v2");
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
