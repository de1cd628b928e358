/**
 * Attack: no GitHub call had a deadline, so one request that never got an
 * answer held its delivery's work forever, and every later delivery for the
 * same pull request waited behind it. The app with its own Octokit class
 * against the forge, whose fault switch holds one answer back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { patchesApp, type PatchesApp } from "./helpers/patches-app.js";

const TOUCH = {
  "patches/cmdline-banner/patch.yaml":
    "title: Mark /proc/cmdline as live-patched\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab]\n",
};
const LINT = "livepatch / lint";

let t: PatchesApp;
beforeAll(async () => {
  // Long enough for a busy machine's ordinary answers, far shorter than the held one.
  t = await patchesApp({ timeoutMs: 3_000 });
});
afterAll(() => t.stop());

describe("a GitHub request that never gets an answer", () => {
  it("fails its delivery with a timeout, and the next delivery for the PR runs", async () => {
    // The PR's file listing is answered only after 20 s, long after the app gave up.
    t.forge.setFault({
      method: "GET",
      route: "/repos/{owner}/{repo}/pulls/{pull_number}/files",
      status: 503,
      times: 1,
      delayMs: 20_000,
    });
    const started = Date.now();
    const pr = await t.openPatchPr(TOUCH);
    const lint = await t.check(pr.head, LINT);
    expect(lint?.conclusion).toBe("failure");
    expect(lint?.summary).toMatch(
      new RegExp(
        `GitHub did not answer GET (/api/v3)?/repos/acme/patches/pulls/${String(pr.number)}/files within 3 s`,
      ),
    );
    // The same PR's next delivery (a push: synchronize) is not stuck behind the first.
    const pushed = await t.push(pr, { "README.md": "pushed\n" });
    expect((await t.check(pushed.head, LINT))?.conclusion).toBe("success");
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
