/**
 * `livepatch / rings` on a pull request that changes the rings file: the
 * file is valid (the same checks every publish applies), every later ring
 * names a release this app signed (read back and verified with its keys),
 * no ring moves back, and a promoted ring's release has soaked. "Re-run"
 * on the check evaluates it again (after a soak, say).
 */
import { isLpctlError } from "@livepatch-gitops/lpctl/core/errors";
import { formatProblem, type Problem } from "@livepatch-gitops/lpctl/core/problem";
import { checkPromotion } from "@livepatch-gitops/lpctl/core/ring-promotion";
import {
  checkRingsFile,
  laterRings,
  RINGS_PATH,
  type RingsFile,
} from "@livepatch-gitops/lpctl/core/rings";
import { storeRingSource } from "@livepatch-gitops/lpctl/publisher/ring-source";
import { CHECK } from "../checks.js";
import type { AppDeps } from "../deps.js";
import { upsertCheckRun } from "./check-runs.js";
import { appReleaseStore, ownKeys } from "./publish-base.js";
import { defaultBranchHead } from "./repo-reader.js";
import { ringsAt, ringsTextAt } from "./rings-at.js";
import type { Octokit, RepoRef } from "./types.js";

/** Evaluates the rings file at `headSha` and writes the check there. */
export async function publishRingsCheck(
  octokit: Octokit,
  ref: RepoRef,
  headSha: string,
  deps: AppDeps,
): Promise<{ ok: boolean; problems: Problem[] }> {
  const { problems, soakUntil, summary } = await evaluate(octokit, ref, headSha, deps);
  const ok = problems.length === 0;
  const lines = problems.map((p) => `- ${formatProblem(p)}`).join("\n");
  await upsertCheckRun(
    octokit,
    ref,
    headSha,
    CHECK.rings,
    {
      status: "completed",
      conclusion: ok ? "success" : "failure",
      output: {
        title: ok
          ? "rings ok"
          : soakUntil
            ? `soaking until ${soakUntil.toISOString()}`
            : `${problems.length} problem(s) in ${RINGS_PATH}`,
        summary: ok
          ? summary
          : `${lines}${soakUntil ? `\n\nRe-run this check after ${soakUntil.toISOString()} (Checks tab → ${CHECK.rings} → Re-run).` : ""}`,
      },
    },
    deps.appId,
  );
  return { ok, problems };
}

async function evaluate(
  octokit: Octokit,
  ref: RepoRef,
  headSha: string,
  deps: AppDeps,
): Promise<{ problems: Problem[]; soakUntil?: Date; summary: string }> {
  const text = await ringsTextAt(octokit, ref, headSha);
  if (text === undefined)
    return {
      problems: [],
      summary: `The pull request removes ${RINGS_PATH}: after the merge no release has ring manifests, and hosts with a ring in their config find no manifest.`,
    };
  const checked = checkRingsFile(RINGS_PATH, text);
  if (checked.rings === undefined) return { problems: checked.problems, summary: "" };
  const head = await defaultBranchHead(octokit, ref);
  const before = await ringsAt(octokit, ref, head.sha).catch(() => undefined);
  const issued = await issuedTimes(octokit, ref, checked.rings, deps);
  const verdict = checkPromotion({
    ...(before ? { before } : {}),
    after: checked.rings,
    issued,
    now: deps.clock.now(),
  });
  const rings = checked.rings.rings
    .map((r) => `\`${r.name}\`: ${r.release === undefined ? "every release" : `v${r.release}`}`)
    .join(", ");
  return { ...verdict, summary: `Rings after the merge: ${rings}.` };
}

/** The signed `issued` of every release a later ring names, from the app's own releases. */
async function issuedTimes(
  octokit: Octokit,
  ref: RepoRef,
  rings: RingsFile,
  deps: AppDeps,
): Promise<Map<number, string>> {
  const source = storeRingSource(appReleaseStore(octokit, ref), await ownKeys(deps));
  const out = new Map<number, string>();
  for (const { release } of laterRings(rings)) {
    if (out.has(release)) continue;
    try {
      const found = await source.release(release);
      if (found) out.set(release, found.manifest.issued);
    } catch (e) {
      // A release whose manifest our keys did not sign is not ours: reported as unknown.
      if (!isLpctlError(e, "PREVIOUS_UNVERIFIED") && !isLpctlError(e, "RELEASE_FAILED")) throw e;
    }
  }
  return out;
}
