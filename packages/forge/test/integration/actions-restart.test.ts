/**
 * A forge killed mid-run: its data directory, copied while a run is in
 * progress, is what a restarted forge finds. Runs do not survive a restart;
 * the restarted forge reports that run completed as `cancelled`.
 */
import { cp, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, it } from "vitest";
import { fakeRunner } from "./fake-runner.js";
import { octokit, startTestForge } from "@livepatch-gitops/test-support/test-forge";
import { pushFiles, startAreas } from "@livepatch-gitops/test-support/forge-areas-helpers";

it("marks a run left in progress by a killed forge as completed/cancelled", async () => {
  const runner = fakeRunner();
  let release = (): void => undefined;
  runner.hold = new Promise<void>((r) => (release = r));
  const s = await startAreas({ runner });
  const snapshot = path.join(await mkdtemp(path.join(os.tmpdir(), "forge-killed-")), "data");
  try {
    await pushFiles(s.t.forge.url, s.app.owner.token, "alice/demo", {
      ".github/workflows/build.yml": "on: push\njobs:\n  plan: {}\n",
    });
    // The runner is called after the run is recorded in_progress (and committed).
    while (runner.requests.length === 0) await sleep(20);
    // Temp files come and go while the forge writes (temp + rename: the
    // store's `.tmp-` files, write-file-atomic's `<name>.<hash>` ones); a kill
    // leaves at most one behind, which a restart ignores.
    await cp(s.t.dataDir, snapshot, {
      recursive: true,
      filter: (src) => !/\.tmp-|\.json\.[0-9a-f]+$/.test(path.basename(src)),
    });
  } finally {
    release();
    await s.stop();
  }
  const restarted = await startTestForge({ dataDir: snapshot });
  try {
    const gh = octokit(restarted.forge, restarted.forge.adminToken);
    const { data } = await gh.rest.actions.listWorkflowRunsForRepo({
      owner: "alice",
      repo: "demo",
    });
    expect(data.workflow_runs.map((r) => [r.status, r.conclusion])).toEqual([
      ["completed", "cancelled"],
    ]);
  } finally {
    await restarted.stop();
  }
});
