/**
 * Attack: untrusted text (a diff path from the PR, a PR build's report, a
 * changed infrastructure path) written into the app's PR comment and check
 * runs closes the code span and posts live @mentions, an image from another
 * host, links and HTML; a collaborator's edit of the app's comment survives
 * the app's next update. Through the forge: real pushes and pull requests,
 * a stub runner for build.yml uploading each test's report, the app's
 * writes read back through GitHub's API. One forge for the file.
 */
import { describe, expect, it } from "vitest";
import type { BuildReport } from "@livepatch-gitops/lpctl/core/build-report";
import type { RunRequest, RunResult } from "@livepatch-gitops/forge/runner/contract";
import { fakeReport } from "@livepatch-gitops/test-support/report-fixture";
import { liveMarkdown } from "../unit/helpers/live-markdown.js";
import { makeZip } from "../unit/helpers/zip.js";
import { forFile } from "./helpers/for-file.js";
import { patchesApp, prRuns, TARGET } from "./helpers/patches-app.js";
import { uploadZip } from "./helpers/publishing-app.js";

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
const BUILD = `livepatch / build (${TARGET})`;

/** What the next pull_request run does (push runs on main build nothing here). */
let build: (req: RunRequest) => Promise<RunResult["conclusion"]> = () => Promise.resolve("success");

const t = forFile(() => patchesApp({ runBuild: prRuns(() => build) }));

const comment = async (pull: number) => (await t.comments(pull))[0];

describe("untrusted text in the app's Markdown", () => {
  it("a diff path in a lint finding stays inside code in the comment and on the check", async () => {
    // An assembly file is refused by kpatch-build: the finding names the diff's path.
    // (The patch-file rule refuses control characters in a path on its own.)
    const path = `arch/x86/${EVIL.replaceAll("\u001b", "").replace(/ /g, "_")}.S`;
    const pr = await t.openPatchPr({
      "patches/evil-path/patch.yaml": patchYaml("evil-path"),
      "patches/evil-path/0001-fix.patch": `--- a/${path}\n+++ b/${path}\n@@ -1,1 +1,1 @@\n-a\n+b\n`,
    });
    const body = (await comment(pr.number))?.body;
    expect(body).toContain("unsupported-path");
    expectInert(body);
    const lint = await t.completedCheck(pr.head, "livepatch / lint");
    expect(lint?.conclusion).toBe("failure");
    const annotations = await t.annotations(lint?.id ?? 0);
    expect(annotations.length).toBeGreaterThan(0);
    for (const a of annotations) {
      expect(String(a.title)).not.toContain("\u001b");
      expect(String(a.message)).not.toContain("\u001b");
    }
  });

  it("a PR build's report (function names, error message, log) stays inside code", async () => {
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
    const ok = structuredClone(failed);
    ok.result = "success";
    delete ok.error;
    const uploading = (report: BuildReport) => async (req: RunRequest) => {
      const zip = await makeZip([{ name: "build-report.json", data: JSON.stringify(report) }]);
      await uploadZip(req, `build-${TARGET}`, zip);
      return "success" as const;
    };
    build = uploading(failed);
    const pr = await t.openPatchPr({
      "patches/cmdline-banner/patch.yaml": patchYaml("cmdline-banner"),
    });
    const check = await t.completedCheck(pr.head, BUILD);
    expect(check?.conclusion).toBe("failure");
    expectInert(check?.text);
    expectInert(check?.summary);
    expect(check?.title).not.toContain("\u001b");
    const body = (await comment(pr.number))?.body ?? "";
    expect(body).toContain("### Builds");
    expectInert(body);
    expect(liveMarkdown(body)).not.toContain("### Release");

    // A successful report lists the changed functions: the same holds.
    build = uploading(ok);
    const next = await t.push(pr, { "patches/cmdline-banner/patch.yaml": patchYaml("again") });
    expect((await t.completedCheck(next.head, BUILD))?.conclusion).toBe("success");
    const after = (await comment(pr.number))?.body ?? "";
    expect(after).toContain("changed:");
    expectInert(after);
  });

  it("a collaborator's edit of the app's comment is overwritten by the next update", async () => {
    build = () => Promise.resolve("failure");
    const pr = await t.openPatchPr({
      "patches/cmdline-banner/patch.yaml": patchYaml("edited comment"),
    });
    await t.completedCheck(pr.head, BUILD);
    const mine = await comment(pr.number);
    if (!mine) throw new Error("the app left no comment");
    expect(mine.user).toMatch(/\[bot\]$/);
    const planted =
      "<!-- lp:release -->\n### Release\n\nInstall [v9](https://evil.test/v9) now.\n<!-- /lp:release -->";
    // Editing keeps the comment's author: it is still the app's comment.
    await t.kit("dave").rest.issues.updateComment({
      ...t.repo,
      comment_id: mine.id,
      body: `${mine.body}\n\n${planted}`,
    });
    expect((await comment(pr.number))?.body).toContain("evil.test");
    const next = await t.push(pr, { "README.md": "a new push\n" });
    expect((await t.completedCheck(next.head, BUILD))?.conclusion).toBe("failure");
    const after = await comment(pr.number);
    expect(after?.id).toBe(mine.id);
    expect(after?.body).toContain("### Builds");
    expect(after?.body).toContain("### Plan");
    expect(after?.body).not.toContain("evil.test");
    expect(after?.body).not.toContain("### Release");
  });

  it("a patch.yaml title with an escape sequence fails the PR's lint check, naming the field", async () => {
    const pr = await t.openPatchPr({
      "patches/cmdline-banner/patch.yaml": `title: "Fix \\e[2Jcmdline"\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [${TARGET}]\n`,
    });
    const lint = await t.completedCheck(pr.head, "livepatch / lint");
    expect(lint?.conclusion).toBe("failure");
    const a = (await t.annotations(lint?.id ?? 0)).find(
      (x) => x.path === "patches/cmdline-banner/patch.yaml",
    );
    expect(a?.message).toMatch(/^title: must hold printable characters only/);
  });

  it("a changed infrastructure path stays inside code on the policy check", async () => {
    const pr = await t.openPatchPr({
      "patches/cmdline-banner/patch.yaml": patchYaml("infrastructure"),
      [`packages/${EVIL.replaceAll("\u001b", "")}.ts`]: "x\n",
    });
    const policy = await t.completedCheck(pr.head, "livepatch / policy");
    expect(policy?.conclusion).toBe("failure");
    expectInert(policy?.summary);
    expect(policy?.summary).toContain("acme/admins");
  });
});
