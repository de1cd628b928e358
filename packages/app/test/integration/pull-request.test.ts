/**
 * The pull request handlers against the forge: the checks and the one
 * comment a PR gets, redeliveries, lint annotations (the CLI's own
 * function), policy, reviewers read from the default branch, a handler
 * failure shown on a check, the safety review through real reviews, and
 * the lint on the common patch styles.
 */
import { systemClock } from "@livepatch-gitops/lpctl/io/clock";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMENT_MARKER } from "../../src/comment.js";
import { lintPatch } from "@livepatch-gitops/lpctl/core/lint/lint";
import { styleEntry } from "@livepatch-gitops/test-support/patch-styles";
import { VERSION_PATCH } from "./helpers/app-on-forge.js";
import { CONFIG, patchesApp, type PatchesApp } from "./helpers/patches-app.js";

const TARGET = "debian-6.1-lab";
const NEW_PATCH = VERSION_PATCH;

const newPatch = (id: string, kernels = `[${TARGET}]`) => ({
  [`patches/${id}/patch.yaml`]: `title: Fix ${id}\ndescription: d\ncves: [CVE-2026-20001]\nkernels: ${kernels}\n`,
  [`patches/${id}/0001-fix.patch`]: NEW_PATCH,
});

const clock = { now: new Date() };
let t: PatchesApp;
beforeAll(async () => {
  t = await patchesApp({ deps: { clock: { ...systemClock, now: () => clock.now } } });
});
afterAll(() => t.stop());

const LINT = "livepatch / lint";
const GATE = "livepatch / safety review";
/** Each new delivery comes past the replay window: the handler's own idempotence is tested. */
const later = () => (clock.now = new Date(clock.now.getTime() + 2 * 3_600_000));

describe("pull_request opened", () => {
  it("creates lint, policy, build and review checks and one comment", async () => {
    const pr = await t.openPatchPr(newPatch("new-fix"));
    const names = (await t.checks(pr.head))
      .map((c) => `${c.name}:${c.status}:${c.conclusion ?? ""}`)
      .sort();
    expect(names).toEqual([
      `livepatch / build (${TARGET}):queued:`,
      "livepatch / lint:completed:success",
      "livepatch / policy:completed:success",
      "livepatch / safety review:completed:failure",
    ]);
    const comments = await t.comments(pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comments[0]?.body).toContain(`\`${TARGET}\` | \`patch new-fix changed\``);
    expect(comments[0]?.body).toContain("Reviewer checklist");
  });

  it("a redelivery (and a reopen) creates no duplicate check run or comment", async () => {
    const pr = await t.openPatchPr(newPatch("new-fix"));
    const before = (await t.checks(pr.head)).length;
    const opened = (await t.forge.deliveries()).filter((d) => d.event === "pull_request").at(-1);
    if (!opened) throw new Error("no pull_request delivery");
    // GitHub's redelivery keeps the delivery id.
    await t.deliver("pull_request", JSON.stringify(opened.payload), opened.guid);
    await t.deliver("pull_request", JSON.stringify(opened.payload), opened.guid);
    later();
    await t.redeliverAs("pull_request", "reopened");
    expect(await t.checks(pr.head)).toHaveLength(before);
    expect(await t.comments(pr.number)).toHaveLength(1);
  });

  it("lint findings are annotated on the patch file's lines", async () => {
    const initPatch = NEW_PATCH.replace(
      "static int version_proc_show",
      "static int __init proc_version_init",
    );
    const pr = await t.openPatchPr({
      ...newPatch("init-fix"),
      "patches/init-fix/0001-fix.patch": initPatch.replace(
        "+\t\tutsname()->release /* fixed */,",
        "+\t\tutsname()->release /* fixed */, __init_thing",
      ),
    });
    const lint = await t.check(pr.head, LINT);
    const annotations = await t.annotations(lint?.id ?? 0);
    expect(annotations.length).toBeGreaterThan(0);
    for (const a of annotations) {
      expect(a.path).toBe("patches/init-fix/0001-fix.patch");
      expect(Number(a.start_line)).toBeGreaterThan(3);
    }
  });

  it("annotates the diff-only findings of issue 22 with the lint's own verdict", async () => {
    const fixture = (name: string) =>
      readFileSync(
        join(import.meta.dirname, "../../../lpctl/test/fixtures/lint-src/cases", `${name}.patch`),
        "utf8",
      );
    const initAdded = fixture("init-added");
    const notCode = fixture("not-code-kbuild");
    const pr = await t.openPatchPr({
      ...newPatch("init-fix"),
      "patches/init-fix/0001-fix.patch": initAdded,
      "patches/init-fix/0002-build.patch": notCode,
    });
    const lint = await t.check(pr.head, LINT);
    expect(lint?.conclusion).toBe("failure");
    // The same function the CLI runs, on the same text: the app adds nothing and drops nothing.
    const expected = [
      ...lintPatch("patches/init-fix/0001-fix.patch", initAdded),
      ...lintPatch("patches/init-fix/0002-build.patch", notCode),
    ].map((f) => [f.rule, f.severity]);
    expect(expected).toEqual([
      ["init-code", "error"],
      ["unsupported-path", "error"],
      ["unsupported-path", "error"],
    ]);
    const messages = (await t.annotations(lint?.id ?? 0)).map(
      (a) => `${String(a.path)} ${String(a.annotation_level)} ${String(a.message)}`,
    );
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(
      /^patches\/init-fix\/0001-fix\.patch failure .*proc_cmdline_check\(\) is a new __init\/__exit function/,
    );
    expect(messages[1]).toMatch(/^patches\/init-fix\/0002-build\.patch failure .*Kconfig change/);
    expect(messages[2]).toMatch(
      /^patches\/init-fix\/0002-build\.patch failure .*build rule change/,
    );
  });

  it("a new delivery for an unchanged PR writes nothing: annotations are not appended twice", async () => {
    const pr = await t.openPatchPr({
      ...newPatch("init-fix"),
      "patches/init-fix/0001-fix.patch": NEW_PATCH.replace(
        "static int version_proc_show",
        "static int __init proc_version_init",
      ),
    });
    const lint = await t.check(pr.head, LINT);
    const annotations = (await t.annotations(lint?.id ?? 0)).length;
    expect(annotations).toBeGreaterThan(0);
    t.requests.length = 0;
    later();
    await t.redeliverAs("pull_request", "reopened");
    expect(t.requests.filter((r) => !r.startsWith("GET"))).toEqual([]);
    expect(await t.annotations(lint?.id ?? 0)).toHaveLength(annotations);
    // A changed state is still written: the lint check is brought back when another change left it different.
    await (
      await t.appKit()
    ).rest.checks.update({
      ...t.repo,
      check_run_id: lint?.id ?? 0,
      conclusion: "neutral",
    });
    t.requests.length = 0;
    later();
    await t.redeliverAs("pull_request", "reopened");
    expect(t.requests.filter((r) => r.startsWith("PATCH"))).toHaveLength(1);
    expect((await t.check(pr.head, LINT))?.conclusion).not.toBe("neutral");
  });

  it("a PR changing the build workflow with a patch fails policy", async () => {
    const pr = await t.openPatchPr({
      ...newPatch("new-fix"),
      ".github/workflows/build.yml": "name: evil\n",
    });
    const policy = await t.check(pr.head, "livepatch / policy");
    expect(policy?.conclusion).toBe("failure");
    expect(policy?.summary).toContain(".github/workflows/build.yml");
  });

  it("reviewers come from the default branch; a PR-head livepatch.yml is ignored", async () => {
    // dave is a collaborator but no configured reviewer; the PR's head names him.
    const pr = await t.openPatchPr(
      { ...newPatch("new-fix"), ".github/livepatch.yml": "reviewers:\n  users: [dave]\n" },
      "alice",
    );
    await t.review("dave", pr.number, "APPROVE");
    const gate = await t.check(pr.head, GATE);
    expect(gate?.conclusion).toBe("failure");
    expect(gate?.text).toContain("dave: not counted (not a configured reviewer)");
  });

  it("a handler failure shows as a failed check run with the reason and the delivery id", async () => {
    const undo = await t.onMain({ ".github/livepatch.yml": "requiredApprovals: zero\n" });
    try {
      const pr = await t.openPatchPr(newPatch("new-fix"));
      const lint = await t.check(pr.head, LINT);
      expect(lint?.conclusion).toBe("failure");
      expect(lint?.summary).toContain("requiredApprovals");
      const delivery = (await t.forge.deliveries())
        .filter((d) => d.event === "pull_request")
        .at(-1);
      expect(lint?.summary).toContain(`Webhook delivery \`${delivery?.guid ?? "?"}\``);
    } finally {
      await undo();
    }
  });
});

describe("safety review gate through reviews", () => {
  it("the author's approval does not pass; a reviewer's does; a new push resets it", async () => {
    const pr = await t.openPatchPr(newPatch("new-fix"), "alice");
    // alice is a configured reviewer, and the author: her approval (if GitHub takes it) does not count.
    await t
      .kit("alice")
      .rest.pulls.createReview({ ...t.repo, pull_number: pr.number, event: "APPROVE" })
      .catch(() => undefined);
    await t.settle();
    expect((await t.check(pr.head, GATE))?.conclusion).toBe("failure");

    await t.review("bob", pr.number, "APPROVE");
    expect((await t.check(pr.head, GATE))?.conclusion).toBe("success");

    const old = pr.head;
    const pushed = await t.push(pr, {
      "patches/new-fix/0001-fix.patch": NEW_PATCH.replace("fixed", "fixed again"),
    });
    const gate = await t.check(pushed.head, GATE);
    expect(gate?.conclusion).toBe("failure");
    expect(gate?.text).toContain(`bob: not counted (approved ${old.slice(0, 7)}`);
  });

  it("a team member's approval counts; their later CHANGES_REQUESTED blocks", async () => {
    const pr = await t.openPatchPr(newPatch("new-fix"), "alice");
    await t.review("carol", pr.number, "APPROVE");
    expect((await t.check(pr.head, GATE))?.conclusion).toBe("success");
    await t.review("carol", pr.number, "REQUEST_CHANGES");
    const gate = await t.check(pr.head, GATE);
    expect(gate?.conclusion).toBe("failure");
    expect(gate?.summary).toContain("changes requested by carol");
  });
});

describe("pull_request: the lint check on the common patch styles", () => {
  const quilt = styleEntry("style-quilt", "0001-uptime-check.patch");
  const quiltPr = {
    "patches/style-quilt/patch.yaml": `title: t\ndescription: d\nkernels: [${TARGET}]\n`,
    [quilt.path]: quilt.text,
  };

  it("passes a quilt-style patch (Index:, src.orig/ and src/) with no annotation", async () => {
    const pr = await t.openPatchPr(quiltPr);
    const lint = await t.check(pr.head, LINT);
    expect(lint?.conclusion).toBe("success");
    expect(lint?.title).toBe("0 error(s), 0 warning(s)");
    expect(await t.annotations(lint?.id ?? 0)).toEqual([]);
  });

  it("warns, naming both styles, when the default branch's livepatch.yml asks for another", async () => {
    const undo = await t.onMain({ ".github/livepatch.yml": `${CONFIG}patchStyle: git\n` });
    try {
      const pr = await t.openPatchPr(quiltPr);
      const lint = await t.check(pr.head, LINT);
      expect(lint?.conclusion).toBe("success");
      expect(lint?.title).toBe("0 error(s), 1 warning(s)");
      const annotations = await t.annotations(lint?.id ?? 0);
      expect(annotations).toHaveLength(1);
      expect(annotations[0]).toMatchObject({ path: quilt.path, annotation_level: "warning" });
      expect(annotations[0]?.message).toContain("written in the quilt (");
      expect(annotations[0]?.message).toContain("this repository asks for git (");
    } finally {
      await undo();
    }
  });
});
