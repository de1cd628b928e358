/**
 * The safety review gate against a collaborator with push access, through
 * the app's handlers fed the forge's real webhook deliveries: approvals
 * bound to a pull request, its base and its head; a dismissal withdrawing a
 * decision; pushers and commit accounts (not e-mail text) excluded; GitHub's
 * 250-commit listing cap refused; `.github/**` kept out of patch PRs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appOnForge, GATE, REPO, VERSION_PATCH, type AppOnForge } from "./helpers/app-on-forge.js";

const PATCH = VERSION_PATCH;
const patch = (id: string, note = "fixed") => ({
  [`patches/${id}/patch.yaml`]: `title: Fix ${id}\ndescription: d\ncves: [CVE-2026-20001]\nkernels: [debian-6.1-lab]\n`,
  [`patches/${id}/0001-fix.patch`]: PATCH.replace("fixed", note),
});

let t: AppOnForge;
beforeAll(async () => {
  t = await appOnForge();
  // Merges into main need the app's safety review, pinned to the app.
  await t.kit("maintainer").rest.repos.updateBranchProtection({
    ...REPO,
    branch: "main",
    required_status_checks: {
      strict: false,
      contexts: [],
      checks: [{ context: GATE, app_id: t.appId }],
    },
    enforce_admins: true,
    required_pull_request_reviews: null,
    restrictions: null,
  });
});
afterAll(async () => {
  await t.stop();
});

/** alice's branch `name` off main with one patch commit, pushed with her token; returns its head. */
async function branch(name: string, files: Record<string, string> = patch(name)): Promise<string> {
  await t.wc.git("checkout", "-q", "-B", name, "main");
  const sha = await t.wc.commit(files, t.me("alice"));
  await t.wc.push(name, t.tokens.alice ?? "");
  return sha;
}

async function mergeStatus(pull: number): Promise<number> {
  try {
    await t.kit("maintainer").rest.pulls.merge({ ...REPO, pull_number: pull });
    return 200;
  } catch (e) {
    return (e as { status: number }).status;
  }
}

describe("approval is bound to the pull request, its base and its head", () => {
  it("an approval on a PR into staging does not pass the shared head's check for a PR into main", async () => {
    const head = await branch("shared-head");
    const staging = await t.openPr("alice", "shared-head", "staging");
    const main = await t.openPr("alice", "shared-head", "main");
    await t.review("bob", staging, "APPROVE");
    const gate = await t.gate(head);
    expect(gate.conclusion).toBe("failure");
    expect(gate.summary).toContain(`Blocked by #${String(main)}`);
    expect(gate.text).toContain(`#${String(staging)} into staging: approved`);
    expect(gate.text).toContain(`#${String(main)} into main: not approved`);
    expect(await mergeStatus(main)).toBe(405);
    await t.review("bob", main, "APPROVE");
    expect((await t.gate(head)).conclusion).toBe("success");
  });

  it("retargeting an approved PR from staging to main takes the approval away", async () => {
    const head = await branch("retarget");
    const pull = await t.openPr("alice", "retarget", "staging");
    await t.review("bob", pull, "APPROVE");
    expect((await t.gate(head)).conclusion).toBe("success");
    await t.kit("alice").rest.pulls.update({ ...REPO, pull_number: pull, base: "main" });
    await t.settle();
    const gate = await t.gate(head);
    expect(gate.conclusion).toBe("failure");
    expect(gate.text).toContain("bob: not counted (approved before the base changed to main");
    expect(await mergeStatus(pull)).toBe(405);
    await t.review("bob", pull, "APPROVE");
    const again = await t.gate(head);
    expect(again.conclusion).toBe("success");
    expect(again.summary).toContain(`#${String(pull)} into main: 1 of 1`);
  });

  it("dismissing a reviewer's CHANGES_REQUESTED does not bring back their earlier APPROVED", async () => {
    const head = await branch("dismissal");
    const pull = await t.openPr("alice", "dismissal", "main");
    await t.review("bob", pull, "APPROVE");
    const blocking = await t.review("bob", pull, "REQUEST_CHANGES");
    expect((await t.gate(head)).conclusion).toBe("failure");
    await t.kit("maintainer").rest.pulls.dismissReview({
      ...REPO,
      pull_number: pull,
      review_id: blocking,
      message: "stale",
    });
    await t.settle();
    const gate = await t.gate(head);
    expect(gate.conclusion).toBe("failure");
    expect(gate.text).toContain("bob: not counted (their latest review was dismissed)");
  });
});

describe("who authored or pushed is decided by accounts, not e-mail text", () => {
  it("a reviewer who pushed a commit under an unregistered e-mail does not count, also after later pushes", async () => {
    await branch("ghost-mail");
    const pull = await t.openPr("alice", "ghost-mail", "main");
    await t.wc.commit(patch("ghost-mail", "ghost"), {
      name: "ghost",
      email: "ghost@nowhere.invalid",
    });
    await t.wc.push("ghost-mail", t.tokens.bob ?? "");
    await t.settle();
    const pushed = await t.wc.git("rev-parse", "HEAD");
    await t.review("bob", pull, "APPROVE");
    expect((await t.gate(pushed)).conclusion).toBe("failure");
    expect((await t.gate(pushed)).text).toContain(
      "bob: not counted (authored, committed or pushed to this pull request)",
    );
    // alice pushes on top: bob's push is remembered from the previous head's check run.
    const later = await t.wc.commit({ "README.md": "later\n" }, t.me("alice"));
    await t.wc.push("ghost-mail", t.tokens.alice ?? "");
    await t.settle();
    await t.review("bob", pull, "APPROVE");
    expect((await t.gate(later)).conclusion).toBe("failure");
    await t.review("carol", pull, "APPROVE");
    expect((await t.gate(later)).conclusion).toBe("success");
  });

  it("a reviewer who pushed a commit claiming alice as author and committer does not count", async () => {
    await branch("spoofed");
    const pull = await t.openPr("alice", "spoofed", "main");
    const head = await t.wc.commit(patch("spoofed", "spoofed"), t.me("alice"), t.me("alice"));
    await t.wc.push("spoofed", t.tokens.bob ?? "");
    await t.settle();
    const { data: commits } = await t
      .kit("maintainer")
      .rest.pulls.listCommits({ ...REPO, pull_number: pull });
    expect(commits.map((c) => c.author?.login)).toEqual(["alice", "alice"]);
    await t.review("bob", pull, "APPROVE");
    expect((await t.gate(head)).conclusion).toBe("failure");
  });

  it("a reviewer's commit pushed out of GitHub's 250-commit listing: the gate refuses the PR", async () => {
    await t.wc.git("checkout", "-q", "-B", "long", "main");
    await t.wc.commit(patch("long"), t.me("bob"));
    await t.wc.push("long", t.tokens.bob ?? "");
    await t.wc.emptyCommits(250, t.me("alice"));
    const head = await t.wc.git("rev-parse", "HEAD");
    await t.wc.push("long", t.tokens.alice ?? "");
    const pull = await t.openPr("alice", "long", "main");
    await t.review("bob", pull, "APPROVE");
    const gate = await t.gate(head);
    expect(gate.conclusion).toBe("failure");
    expect(gate.summary).toContain("Squash the pull request or split it");
  });
});

describe("recomputation", () => {
  it("a re-run of the check recomputes it: a reviewer who joined the team since counts", async () => {
    const head = await branch("rerun");
    const pull = await t.openPr("alice", "rerun", "main");
    await t.review("dave", pull, "APPROVE");
    const before = await t.gate(head);
    expect(before.conclusion).toBe("failure");
    expect(before.text).toContain("dave: not counted (not a configured reviewer)");
    await t.kit("maintainer").rest.teams.addOrUpdateMembershipForUserInOrg({
      org: REPO.owner,
      team_slug: "kernel",
      username: "dave",
    });
    await t.settle();
    expect((await t.gate(head)).conclusion).toBe("failure");
    await t.kit("maintainer").rest.checks.rerequestRun({ ...REPO, check_run_id: before.id });
    await t.settle();
    expect((await t.gate(head)).conclusion).toBe("success");
  });
});

describe("policy", () => {
  it("a PR changing .github/livepatch.yml together with a patch fails livepatch / policy", async () => {
    const head = await branch("reviewers-too", {
      ...patch("reviewers-too"),
      ".github/livepatch.yml": "reviewers:\n  users: [alice]\nrequiredApprovals: 1\n",
    });
    await t.openPr("alice", "reviewers-too", "main");
    const { data } = await t.kit("maintainer").rest.checks.listForRef({
      ...REPO,
      ref: head,
      check_name: "livepatch / policy",
    });
    expect(data.check_runs[0]?.conclusion).toBe("failure");
    expect(data.check_runs[0]?.output.summary).toContain(".github/livepatch.yml");
  });
});
