/**
 * Attack: untrusted text (a diff path from the PR, a PR build's report)
 * written into the app's PR comment and check runs closes the code span and
 * posts live @mentions, an image from another host, links and HTML; a
 * collaborator's edit of the app's comment survives the app's next update.
 * Fed through the app's handlers as webhook deliveries.
 */
import { describe, expect, it } from "vitest";
import type { BuildReport } from "@livepatch-gitops/lpctl/core/build-report";
import { fakeReport } from "@livepatch-gitops/test-support/report-fixture";
import { liveMarkdown } from "./helpers/live-markdown.js";
import { workflowRunEvent } from "./helpers/payloads.js";
import { addRun, TARGET } from "./helpers/runs.js";
import { scenario } from "./helpers/scenario.js";
import { makeZip } from "./helpers/zip.js";

/** Closes the code span it is written into and writes what must never be live. */
const EVIL =
  "x` @acme/admins ![p](https://evil.test/p.png) [Release](https://evil.test/r) <img src=https://evil.test/i> \u001b[2J";

/** Nothing the attacker wrote is live Markdown, and no control character is left. */
function expectInert(md: string | undefined): void {
  expect(md).toBeDefined();
  const live = liveMarkdown(md ?? "");
  for (const bad of ["@acme", "evil.test", "<img"]) expect(live).not.toContain(bad);
  expect(md).not.toContain("\u001b");
}

const patchYaml = (id: string) =>
  `title: Fix ${id}\ndescription: d\ncves: [CVE-2026-20001]\nkernels: [${TARGET}]\n`;

describe("untrusted text in the app's Markdown", () => {
  it("a diff path in a lint finding stays inside code in the comment and on the check", async () => {
    const { s, openPr } = await scenario();
    // An assembly file is refused by kpatch-build: the finding names the diff's path.
    // (The patch-file rule refuses control characters in a path on its own.)
    const path = `arch/x86/${EVIL.replaceAll("\u001b", "").replace(/ /g, "_")}.S`;
    const pr = await openPr({
      "patches/evil-path/patch.yaml": patchYaml("evil-path"),
      "patches/evil-path/0001-fix.patch": `--- a/${path}\n+++ b/${path}\n@@ -1,1 +1,1 @@\n-a\n+b\n`,
    });
    const comment = s.comments.find((c) => c.issue === pr.number)?.body;
    expect(comment).toContain("unsupported-path");
    expectInert(comment);
    const lint = s.checkRuns.find((c) => c.headSha === pr.headSha && c.name === "livepatch / lint");
    expect(lint?.conclusion).toBe("failure");
    for (const a of lint?.annotations ?? []) {
      expect(String(a.title)).not.toContain("\u001b");
      expect(String(a.message)).not.toContain("\u001b");
    }
  });

  it("a PR build's report (function names, error message, log) stays inside code", async () => {
    const { s, openPr, receive } = await scenario();
    const pr = await openPr({ "patches/cmdline-banner/patch.yaml": patchYaml("cmdline-banner") });
    const run = addRun(s, { event: "pull_request", headSha: pr.headSha, headBranch: pr.headRef });
    const failed: BuildReport = {
      ...fakeReport(TARGET, ["cmdline-banner"]),
      result: "failure",
      changes: [{ object: `vmlinux${EVIL}`, kind: "changed", function: EVIL }],
      warnings: [EVIL],
      timings: { [EVIL]: 1 },
      error: {
        code: "KPATCH_BUILD_FAILED",
        message: `${EVIL}\n### Release\n${EVIL}`,
        logTail: [EVIL, "```", EVIL],
      },
    };
    delete failed.module;
    run.artifacts.push({
      id: s.nextId(),
      name: `build-${TARGET}`,
      zip: await makeZip([{ name: "build-report.json", data: JSON.stringify(failed) }]),
    });
    const ok = structuredClone(failed);
    ok.result = "success";
    delete ok.error;
    await receive("workflow_run", workflowRunEvent(run));
    const check = s.checkRuns.find(
      (c) => c.headSha === pr.headSha && c.name === `livepatch / build (${TARGET})`,
    );
    expect(check?.conclusion).toBe("failure");
    expectInert(check?.output.text);
    expectInert(check?.output.summary);
    expect(check?.output.title).not.toContain("\u001b");
    const comment = s.comments.find((c) => c.issue === pr.number)?.body;
    expect(comment).toContain("### Builds");
    expectInert(comment);
    expect(liveMarkdown(comment ?? "")).not.toContain("### Release");

    // A successful report lists the changed functions: the same holds.
    const run2 = addRun(s, { event: "pull_request", headSha: pr.headSha, headBranch: pr.headRef });
    run2.artifacts.push({
      id: s.nextId(),
      name: `build-${TARGET}`,
      zip: await makeZip([{ name: "build-report.json", data: JSON.stringify(ok) }]),
    });
    await receive("workflow_run", workflowRunEvent(run2));
    expectInert(s.comments.find((c) => c.issue === pr.number)?.body);
  });

  it("a collaborator's edit of the app's comment is overwritten by the next update", async () => {
    const { s, openPr, receive } = await scenario();
    const pr = await openPr({ "patches/cmdline-banner/patch.yaml": patchYaml("cmdline-banner") });
    const comment = s.comments.find((c) => c.issue === pr.number);
    expect(comment?.user.type).toBe("Bot");
    const planted =
      "<!-- lp:release -->\n### Release\n\nInstall [v9](https://evil.test/v9) now.\n<!-- /lp:release -->";
    // Editing keeps the comment's author: it is still the app's comment.
    if (comment) comment.body = `${comment.body}\n\n${planted}`;
    const run = addRun(s, {
      event: "pull_request",
      headSha: pr.headSha,
      headBranch: pr.headRef,
      conclusion: "failure",
    });
    await receive("workflow_run", workflowRunEvent(run));
    const after = s.comments.find((c) => c.issue === pr.number)?.body ?? "";
    expect(after).toContain("### Builds");
    expect(after).toContain("### Plan");
    expect(after).not.toContain("evil.test");
    expect(after).not.toContain("### Release");
  });

  it("a patch.yaml title with an escape sequence fails the PR's lint check, naming the field", async () => {
    const { s, openPr } = await scenario();
    const pr = await openPr({
      "patches/cmdline-banner/patch.yaml": `title: "Fix \\e[2Jcmdline"\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [${TARGET}]\n`,
    });
    const lint = s.checkRuns.find((c) => c.headSha === pr.headSha && c.name === "livepatch / lint");
    expect(lint?.conclusion).toBe("failure");
    const a = lint?.annotations.find((x) => x.path === "patches/cmdline-banner/patch.yaml");
    expect(a?.message).toMatch(/^title: must hold printable characters only/);
  });

  it("a changed infrastructure path stays inside code on the policy check", async () => {
    const { s, openPr } = await scenario();
    const pr = await openPr({
      "patches/cmdline-banner/patch.yaml": patchYaml("cmdline-banner"),
      [`packages/lpctl/src/${EVIL.replaceAll("\u001b", "")}.ts`]: "x\n",
    });
    const policy = s.checkRuns.find(
      (c) => c.headSha === pr.headSha && c.name === "livepatch / policy",
    );
    expect(policy?.conclusion).toBe("failure");
    expectInert(policy?.output.summary);
  });
});
