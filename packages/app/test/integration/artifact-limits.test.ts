/**
 * Attack: a pull request controls how many artifacts its build run uploads
 * and how large they are; every one was downloaded and inflated in memory
 * before the app looked at its name, with caps per artifact only. Through
 * the forge: the PR's run (a stub for build.yml) uploads the artifacts, the
 * app lists and downloads them through GitHub's API, and the forge's request
 * log shows what was downloaded. One forge for the file. The app's own
 * limits behind the listing (a download longer than listed) are reached
 * with the forge's lying storage (`lieAboutArtifact`).
 */
import { describe, expect, it } from "vitest";
import type { RunRequest, RunResult } from "@livepatch-gitops/forge/runner/contract";
import { makeZip } from "../unit/helpers/zip.js";
import { forFile } from "./helpers/for-file.js";
import { patchesApp, prRuns, TARGET } from "./helpers/patches-app.js";
import { labBuildZip, uploadZip } from "./helpers/publishing-app.js";

const MiB = 1024 * 1024;
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

  it("listed sizes over the run's cap: the run is refused, nothing downloaded", async () => {
    const zip = await makeZip([{ name: "build-report.json", data: "{}" }]);
    for (let i = 0; i < 9; i++)
      t.forge.lieAboutArtifact({ name: `build-big${String(i)}`, listedSize: 120 * MiB });
    upload = async (req) => {
      for (let i = 0; i < 9; i++) await uploadZip(req, `build-big${String(i)}`, zip);
      return "success";
    };
    t.requests.length = 0;
    const pr = await t.openPatchPr(touch("listed large"));
    const results = await t.completedCheck(pr.head, "livepatch / build results");
    expect(downloads(t.requests)).toBe(0);
    expect(results?.conclusion).toBe("failure");
    expect(results?.summary).toContain(
      `hold ${9 * 120 * MiB} bytes; at most ${1024 * MiB} are read`,
    );
  });

  it("a download longer than its listing is cut off while streaming", async () => {
    const name = `build-${TARGET}`;
    // Listed as the small zip it is; the download goes on for a GiB past its end.
    t.forge.lieAboutArtifact({ name, extraBytes: 1024 * MiB });
    upload = async (req) => {
      await uploadZip(req, name, await labBuildZip(req));
      return "success";
    };
    const pr = await t.openPatchPr(touch("endless"));
    const build = await t.completedCheck(pr.head, `livepatch / build (${TARGET})`);
    expect(build?.conclusion).toBe("failure");
    expect(build?.summary).toContain(`the download passed ${128 * MiB} bytes`);
    // The stream may run some chunks ahead of the reader, never to its end.
    const served = t.forge.artifactLie(name)?.extraServed ?? 0;
    expect(served).toBeGreaterThan(100 * MiB);
    expect(served).toBeLessThan(256 * MiB);
  });
});
