/** Merges and trusted push runs on the fake repository, for the publish tests. */
import type { Manifest } from "@livepatch-gitops/lpctl/core/manifest";
import { verifyManifest } from "@livepatch-gitops/lpctl/core/verify/index";
import { workflowRunEvent } from "./payloads.js";
import { addRun, buildArtifact, TARGET } from "./runs.js";
import type { Scenario } from "./scenario.js";

export const LAB2 = "debian-6.1-lab2";

export const patchYaml = (title: string) =>
  `title: ${title}\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab]\n`;

/** Opens and merges a PR with `changes`; main moves to the merge commit. */
export async function merge(sc: Scenario, changes: Record<string, string | null>) {
  const pr = await sc.openPr(changes);
  // The PR was opened on main's tip: its merge commit sits on its head.
  const sha = sc.s.commit(pr.headSha, {}, "web-flow");
  sc.s.branches.set("main", sha);
  Object.assign(pr, { state: "closed", mergedAt: "2026-11-30T12:00:00Z", mergeSha: sha });
  return sha;
}

/** A completed push (or `event`) run of `sha` with an artifact per target in `targets`, delivered to the app. */
export async function completeRun(
  sc: Scenario,
  sha: string,
  targets: string[] = [TARGET],
  event = "push",
) {
  const run = addRun(sc.s, { event, headSha: sha, headBranch: "main" });
  for (const t of targets)
    run.artifacts.push(
      await buildArtifact(sc.s, { id: run.id, event, sha, ref: "refs/heads/main" }, t),
    );
  await sc.receive("workflow_run", workflowRunEvent(run));
  return run;
}

/** The files of release `tag` and its manifest, verified with `keys`. */
export async function releaseManifest(
  sc: Scenario,
  tag: string,
  keys = [sc.publicKey],
): Promise<{ manifest: Manifest; files: Map<string, Uint8Array> }> {
  const release = sc.s.releases.find((r) => r.tag === tag);
  const files = new Map(release?.assets.map((a) => [a.name, a.bytes]));
  const { manifest } = await verifyManifest({
    manifest: files.get("manifest.json") ?? new Uint8Array(),
    signature: files.get("manifest.json.asc") ?? new Uint8Array(),
    keys,
    now: sc.clock.now,
  });
  return { manifest, files };
}

export const publishCheck = (sc: Scenario, sha: string) =>
  sc.s.checkRuns.find((c) => c.headSha === sha && c.name === "livepatch / publish");

/** A second target beside the lab one (same kernel files), as a change. */
export function addLab2(sc: Scenario): Record<string, string> {
  const tree = sc.s.commits.get(sc.main())?.tree;
  const text = (p: string) => new TextDecoder().decode(tree?.get(p));
  return {
    [`kernels/${LAB2}/target.yaml`]: text(`kernels/${TARGET}/target.yaml`),
    [`kernels/${LAB2}/config.fragment`]: text(`kernels/${TARGET}/config.fragment`),
  };
}
