/** Workflow runs with build artifacts for the fake repository, as build.yml would leave them. */
import { createHash } from "node:crypto";
import type { BuildReport } from "@livepatch-gitops/lpctl/core/build-report";
import { fakeReport, moduleBytes } from "@livepatch-gitops/test-support/report-fixture";
import { OWNER, REPO, type FakeState, type RunRec } from "./fake-state.js";
import { makeZip } from "./zip.js";

export const TARGET = "debian-6.1-lab";

/** A successful report + module for `target` from `run` at `sha`, zipped as `build-<target>`. */
export async function buildArtifact(
  s: FakeState,
  run: { id: number; event: string; sha: string; ref: string },
  target = TARGET,
  patches = ["cmdline-banner", "version-banner"],
  tag = `r${run.id}`,
): Promise<{ id: number; name: string; zip: Uint8Array }> {
  const bytes = moduleBytes(`${target}-${tag}`);
  const file = `livepatch-${tag}-${target}.ko`;
  const report: BuildReport = {
    ...fakeReport(target, patches),
    module: {
      file,
      name: file.replace(/\.ko$/, "").replace(/[-.]/g, "_"),
      sha256: createHash("sha256").update(bytes).digest("hex"),
      length: bytes.length,
      vermagic: "6.1.0 SMP",
    },
    source: {
      repository: `${OWNER}/${REPO}`,
      commit: run.sha,
      ref: run.ref,
      event: run.event,
      workflowRun: String(run.id),
    },
  };
  const zip = await makeZip([
    { name: "build-report.json", data: JSON.stringify(report, null, 2) },
    { name: file, data: bytes },
  ]);
  return { id: s.nextId(), name: `build-${target}`, zip };
}

/** A completed run of build.yml; the caller adds artifacts. */
export function addRun(
  s: FakeState,
  over: Partial<RunRec> & Pick<RunRec, "event" | "headSha" | "headBranch">,
): RunRec {
  const run: RunRec = {
    id: s.nextId(),
    path: ".github/workflows/build.yml",
    status: "completed",
    conclusion: "success",
    artifacts: [],
    ...over,
  };
  s.runs.push(run);
  return run;
}
