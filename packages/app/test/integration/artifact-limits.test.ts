/**
 * Attack: a pull request controls how many artifacts its build run uploads
 * and how large they are; every one was downloaded and inflated in memory
 * before the app looked at its name, with caps per artifact only. Through
 * the forge: the PR's run (a stub for build.yml) uploads the artifacts, the
 * app lists and downloads them through GitHub's API, and the forge's request
 * log shows what was downloaded. One forge for the file.
 */
import { describe, expect, it } from "vitest";
import type { RunRequest, RunResult } from "@livepatch-gitops/forge/runner/contract";
import { makeZip } from "../unit/helpers/zip.js";
import { forFile } from "./helpers/for-file.js";
import { patchesApp, prRuns, TARGET } from "./helpers/patches-app.js";
import { labBuildZip, uploadZip } from "./helpers/publishing-app.js";

const touch = (note: string) => ({
  "patches/cmdline-banner/patch.yaml": `title: Mark /proc/cmdline as live-patched (${note})\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab]\n`,
});
/** Artifact downloads the forge answered (the 302 to storage). */
const downloads = (requests: readonly string[]) =>
  requests.filter((r) => /^GET .*\/actions\/artifacts\/\d+\/zip/.test(r)).length;

/** What the next pull_request run uploads. */
let upload: (req: RunRequest) => Promise<RunResult["conclusion"]> = () =>
  Promise.resolve("success");

const t = forFile(() => patchesApp({ runBuild: prRuns(() => upload) }));

describe("a PR run's artifacts are bounded before anything is downloaded", () => {
  it("artifacts that are not build-<target> are never downloaded", async () => {
    upload = async (req) => {
      const junk = await makeZip([{ name: "x.bin", data: "x".repeat(1000) }]);
      for (let i = 0; i < 40; i++) await uploadZip(req, `junk-${String(i)}`, junk);
      await uploadZip(req, `build-${TARGET}`, await labBuildZip(req));
      return "success";
    };
    t.requests.length = 0;
    const pr = await t.openPatchPr(touch("junk"));
    const check = await t.completedCheck(pr.head, `livepatch / build (${TARGET})`);
    expect(check?.conclusion).toBe("success");
    expect(downloads(t.requests)).toBe(1);
  });

  it("more build artifacts than a plan chunk has targets: the run is refused, nothing downloaded", async () => {
    upload = async (req) => {
      const zip = await makeZip([{ name: "build-report.json", data: "{}" }]);
      for (let i = 0; i < 257; i++) await uploadZip(req, `build-t${String(i)}`, zip);
      return "success";
    };
    t.requests.length = 0;
    const pr = await t.openPatchPr(touch("too many"));
    const results = await t.completedCheck(pr.head, "livepatch / build results");
    expect(downloads(t.requests)).toBe(0);
    expect(results?.conclusion).toBe("failure");
    expect(results?.summary).toContain("257 artifacts; at most 256 are read");
  });
});
