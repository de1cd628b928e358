import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMENT_MARKER } from "../../src/comment.js";
import { lintPatch } from "@livepatch-gitops/lpctl/core/lint/lint";
import { pullRequestEvent, reviewEvent } from "./helpers/payloads.js";
import { CONFIG, scenario } from "./helpers/scenario.js";
import { styleEntry } from "@livepatch-gitops/test-support/patch-styles";

const TARGET = "debian-6.1-lab";
const NEW_PATCH = `--- a/fs/proc/version.c
+++ b/fs/proc/version.c
@@ -10,7 +10,7 @@ static int version_proc_show(struct seq_file *m, void *v)
 {
 \tseq_printf(m, linux_proc_banner,
 \t\tutsname()->sysname,
-\t\tutsname()->release,
+\t\tutsname()->release /* fixed */,
 \t\tutsname()->version);
 \treturn 0;
 }
`;

const newPatch = (id: string, kernels = `[${TARGET}]`) => ({
  [`patches/${id}/patch.yaml`]: `title: Fix ${id}\ndescription: d\ncves: [CVE-2026-20001]\nkernels: ${kernels}\n`,
  [`patches/${id}/0001-fix.patch`]: NEW_PATCH,
});

describe("pull_request opened", () => {
  it("creates lint, policy, build and review checks and one comment", async () => {
    const { s, openPr } = await scenario();
    const pr = await openPr(newPatch("new-fix"));
    const names = s.checkRuns
      .filter((c) => c.headSha === pr.headSha)
      .map((c) => `${c.name}:${c.status}:${c.conclusion ?? ""}`)
      .sort();
    expect(names).toEqual([
      `livepatch / build (${TARGET}):queued:`,
      "livepatch / lint:completed:success",
      "livepatch / policy:completed:success",
      "livepatch / safety review:completed:failure",
    ]);
    const comments = s.comments.filter((c) => c.issue === pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comments[0]?.body).toContain(`\`${TARGET}\` | \`patch new-fix changed\``);
    expect(comments[0]?.body).toContain("Reviewer checklist");
  });

  it("a redelivery (and a reopen) creates no duplicate check run or comment", async () => {
    const { s, openPr, receive } = await scenario();
    const pr = await openPr(newPatch("new-fix"));
    const before = s.checkRuns.length;
    await receive("pull_request", pullRequestEvent("opened", pr), "same-delivery");
    await receive("pull_request", pullRequestEvent("opened", pr), "same-delivery");
    await receive("pull_request", pullRequestEvent("reopened", pr));
    expect(s.checkRuns.length).toBe(before);
    expect(s.comments.filter((c) => c.issue === pr.number)).toHaveLength(1);
  });

  it("lint findings are annotated on the patch file's lines", async () => {
    const { s, openPr } = await scenario();
    const initPatch = NEW_PATCH.replace(
      "static int version_proc_show",
      "static int __init proc_version_init",
    );
    const pr = await openPr({
      ...newPatch("init-fix"),
      "patches/init-fix/0001-fix.patch": initPatch.replace(
        "+\t\tutsname()->release /* fixed */,",
        "+\t\tutsname()->release /* fixed */, __init_thing",
      ),
    });
    const lint = s.checkRuns.find((c) => c.headSha === pr.headSha && c.name === "livepatch / lint");
    expect(lint?.annotations.length).toBeGreaterThan(0);
    for (const a of lint?.annotations ?? []) {
      expect(a.path).toBe("patches/init-fix/0001-fix.patch");
      expect(Number(a.start_line)).toBeGreaterThan(3);
    }
  });

  it("annotates the diff-only findings of issue 22 with the lint's own verdict", async () => {
    const { s, openPr } = await scenario();
    const fixture = (name: string) =>
      readFileSync(
        join(import.meta.dirname, "../../../lpctl/test/fixtures/lint-src/cases", `${name}.patch`),
        "utf8",
      );
    const initAdded = fixture("init-added");
    const notCode = fixture("not-code-kbuild");
    const pr = await openPr({
      ...newPatch("init-fix"),
      "patches/init-fix/0001-fix.patch": initAdded,
      "patches/init-fix/0002-build.patch": notCode,
    });
    const lint = s.checkRuns.find((c) => c.headSha === pr.headSha && c.name === "livepatch / lint");
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
    const messages = (lint?.annotations ?? []).map(
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
    const { s, openPr, receive, clock } = await scenario();
    // Each new delivery comes past the replay window: the handler's own idempotence is tested.
    const later = () => (clock.now = new Date(clock.now.getTime() + 2 * 3_600_000));
    const pr = await openPr({
      ...newPatch("init-fix"),
      "patches/init-fix/0001-fix.patch": NEW_PATCH.replace(
        "static int version_proc_show",
        "static int __init proc_version_init",
      ),
    });
    const lint = s.checkRuns.find((c) => c.headSha === pr.headSha && c.name === "livepatch / lint");
    const annotations = lint?.annotations.length ?? 0;
    expect(annotations).toBeGreaterThan(0);
    s.requests.length = 0;
    later();
    await receive("pull_request", pullRequestEvent("reopened", pr));
    expect(s.requests.filter((r) => !r.startsWith("GET"))).toEqual([]);
    expect(lint?.annotations).toHaveLength(annotations);
    // A changed state is still written: the lint check is brought back when someone else's change left it different.
    if (lint) lint.conclusion = "neutral";
    later();
    await receive("pull_request", pullRequestEvent("reopened", pr));
    expect(s.requests.filter((r) => r.startsWith("PATCH"))).toHaveLength(1);
    expect(lint?.conclusion).not.toBe("neutral");
  });

  it("a PR changing the build workflow with a patch fails policy", async () => {
    const { s, openPr } = await scenario();
    const pr = await openPr({
      ...newPatch("new-fix"),
      ".github/workflows/build.yml": "name: evil\n",
    });
    const policy = s.checkRuns.find(
      (c) => c.headSha === pr.headSha && c.name === "livepatch / policy",
    );
    expect(policy?.conclusion).toBe("failure");
    expect(policy?.output.summary).toContain(".github/workflows/build.yml");
  });

  it("reviewers come from the default branch; a PR-head livepatch.yml is ignored", async () => {
    const { s, openPr, receive } = await scenario();
    const pr = await openPr(
      { ...newPatch("new-fix"), ".github/livepatch.yml": "reviewers:\n  users: [mallory]\n" },
      "alice",
    );
    s.reviews.push({
      id: 1,
      pull: pr.number,
      user: "mallory",
      state: "APPROVED",
      commitId: pr.headSha,
    });
    await receive(
      "pull_request_review",
      reviewEvent("submitted", pr, {
        id: 1,
        user: "mallory",
        state: "APPROVED",
        commitId: pr.headSha,
      }),
    );
    const gate = s.checkRuns.find(
      (c) => c.headSha === pr.headSha && c.name === "livepatch / safety review",
    );
    expect(gate?.conclusion).toBe("failure");
    expect(gate?.output.text).toContain("mallory: not counted (not a configured reviewer)");
  });
  it("a handler failure shows as a failed check run with the reason and the delivery id", async () => {
    const { s, openPr, main } = await scenario();
    s.branches.set(
      "main",
      s.commit(main(), { ".github/livepatch.yml": "requiredApprovals: zero\n" }),
    );
    const pr = await openPr(newPatch("new-fix"));
    const lint = s.checkRuns.find((c) => c.headSha === pr.headSha && c.name === "livepatch / lint");
    expect(lint?.conclusion).toBe("failure");
    expect(lint?.output.summary).toContain("requiredApprovals");
    expect(lint?.output.summary).toMatch(/Webhook delivery `delivery-\d+`/);
  });
});

describe("safety review gate through reviews", () => {
  const gateOf = (s: Awaited<ReturnType<typeof scenario>>["s"], sha: string) =>
    s.checkRuns.find((c) => c.headSha === sha && c.name === "livepatch / safety review");

  it("the author's approval does not pass; a reviewer's does; a new push resets it", async () => {
    const { s, openPr, receive, push } = await scenario();
    const pr = await openPr(newPatch("new-fix"), "alice");
    s.reviews.push({
      id: 1,
      pull: pr.number,
      user: "alice",
      state: "APPROVED",
      commitId: pr.headSha,
    });
    await receive(
      "pull_request_review",
      reviewEvent("submitted", pr, {
        id: 1,
        user: "alice",
        state: "APPROVED",
        commitId: pr.headSha,
      }),
    );
    expect(gateOf(s, pr.headSha)?.conclusion).toBe("failure");

    s.reviews.push({
      id: 2,
      pull: pr.number,
      user: "bob",
      state: "APPROVED",
      commitId: pr.headSha,
    });
    await receive(
      "pull_request_review",
      reviewEvent("submitted", pr, { id: 2, user: "bob", state: "APPROVED", commitId: pr.headSha }),
    );
    expect(gateOf(s, pr.headSha)?.conclusion).toBe("success");

    const old = pr.headSha;
    push(pr, { "patches/new-fix/0001-fix.patch": NEW_PATCH.replace("fixed", "fixed again") });
    await receive("pull_request", pullRequestEvent("synchronize", pr, old));
    expect(gateOf(s, pr.headSha)?.conclusion).toBe("failure");
    expect(gateOf(s, pr.headSha)?.output.text).toContain(
      `bob: not counted (approved ${old.slice(0, 7)}`,
    );
  });

  it("a team member's approval counts; their later CHANGES_REQUESTED blocks", async () => {
    const { s, openPr, receive } = await scenario();
    const pr = await openPr(newPatch("new-fix"), "alice");
    s.reviews.push({
      id: 1,
      pull: pr.number,
      user: "carol",
      state: "APPROVED",
      commitId: pr.headSha,
    });
    await receive(
      "pull_request_review",
      reviewEvent("submitted", pr, {
        id: 1,
        user: "carol",
        state: "APPROVED",
        commitId: pr.headSha,
      }),
    );
    expect(gateOf(s, pr.headSha)?.conclusion).toBe("success");
    s.reviews.push({
      id: 2,
      pull: pr.number,
      user: "carol",
      state: "CHANGES_REQUESTED",
      commitId: pr.headSha,
    });
    await receive(
      "pull_request_review",
      reviewEvent("submitted", pr, {
        id: 2,
        user: "carol",
        state: "CHANGES_REQUESTED",
        commitId: pr.headSha,
      }),
    );
    expect(gateOf(s, pr.headSha)?.conclusion).toBe("failure");
    expect(gateOf(s, pr.headSha)?.output.summary).toContain("changes requested by carol");
  });
});

describe("pull_request: the lint check on the common patch styles", () => {
  const quilt = styleEntry("style-quilt", "0001-uptime-check.patch");
  const quiltPr = {
    "patches/style-quilt/patch.yaml": `title: t\ndescription: d\nkernels: [${TARGET}]\n`,
    [quilt.path]: quilt.text,
  };

  it("passes a quilt-style patch (Index:, src.orig/ and src/) with no annotation", async () => {
    const { s, openPr } = await scenario();
    const pr = await openPr(quiltPr);
    const lint = s.checkRuns.find((c) => c.headSha === pr.headSha && c.name === "livepatch / lint");
    expect(lint?.conclusion).toBe("success");
    expect(lint?.output.title).toBe("0 error(s), 0 warning(s)");
    expect(lint?.annotations).toEqual([]);
  });

  it("warns, naming both styles, when the default branch's livepatch.yml asks for another", async () => {
    const { s, openPr, main } = await scenario();
    s.branches.set(
      "main",
      s.commit(main(), { ".github/livepatch.yml": `${CONFIG}patchStyle: git\n` }),
    );
    const pr = await openPr(quiltPr);
    const lint = s.checkRuns.find((c) => c.headSha === pr.headSha && c.name === "livepatch / lint");
    expect(lint?.conclusion).toBe("success");
    expect(lint?.output.title).toBe("0 error(s), 1 warning(s)");
    expect(lint?.annotations).toHaveLength(1);
    expect(lint?.annotations[0]).toMatchObject({ path: quilt.path, annotation_level: "warning" });
    expect(lint?.annotations[0]?.message).toContain("written in the quilt (");
    expect(lint?.annotations[0]?.message).toContain("this repository asks for git (");
  });
});
