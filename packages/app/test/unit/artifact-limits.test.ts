/**
 * Attack: a pull request controls how many artifacts its build run uploads
 * and how large they are; every one was downloaded and inflated in memory
 * before the app looked at its name, with caps per artifact only. Fed
 * through the workflow_run handler against the in-memory GitHub.
 */
import { describe, expect, it } from "vitest";
import { workflowRunEvent } from "./helpers/payloads.js";
import { addRun, TARGET } from "./helpers/runs.js";
import { scenario } from "./helpers/scenario.js";
import { makeZip } from "./helpers/zip.js";

const TOUCH = {
  "patches/cmdline-banner/patch.yaml":
    "title: Mark /proc/cmdline as live-patched\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab]\n",
};
const MiB = 1024 * 1024;
const downloads = (requests: readonly string[]) =>
  requests.filter((r) => r.startsWith("GET /artifact/")).length;

async function prRun() {
  const sc = await scenario();
  const pr = await sc.openPr(TOUCH);
  const run = addRun(sc.s, { event: "pull_request", headSha: pr.headSha, headBranch: pr.headRef });
  const check = (name: string) =>
    sc.s.checkRuns.find((c) => c.headSha === pr.headSha && c.name === name);
  return { ...sc, pr, run, check };
}

describe("a PR run's artifacts are bounded before anything is downloaded", () => {
  it("listed sizes over the run's cap: the run is refused, nothing downloaded", async () => {
    const { s, run, receive, check } = await prRun();
    const zip = await makeZip([{ name: "build-report.json", data: "{}" }]);
    for (let i = 0; i < 9; i++)
      run.artifacts.push({ id: s.nextId(), name: `build-t${i}`, zip, listedSize: 120 * MiB });
    s.requests.length = 0;
    await receive("workflow_run", workflowRunEvent(run));
    expect(downloads(s.requests)).toBe(0);
    expect(check("livepatch / build results")?.output.summary).toContain(
      `hold ${9 * 120 * MiB} bytes; at most ${1024 * MiB} are read`,
    );
  });

  it("a download longer than its cap is cut off while streaming", async () => {
    const { s, run, receive, check } = await prRun();
    let served = 0;
    const chunk = new Uint8Array(MiB);
    // Listed as small; the body would go on for 256 MiB.
    run.artifacts.push({
      id: s.nextId(),
      name: `build-${TARGET}`,
      zip: new Uint8Array(),
      listedSize: 1000,
      body: () =>
        new ReadableStream<Uint8Array>({
          pull(c) {
            if (served >= 256 * MiB) return c.close();
            served += chunk.length;
            c.enqueue(chunk);
          },
        }),
    });
    await receive("workflow_run", workflowRunEvent(run));
    const build = check(`livepatch / build (${TARGET})`);
    expect(build?.conclusion).toBe("failure");
    expect(build?.output.summary).toContain(`the download passed ${128 * MiB} bytes`);
    // The stream may run a few chunks ahead of the reader, not to its end.
    expect(served).toBeLessThan(140 * MiB);
  });
});
