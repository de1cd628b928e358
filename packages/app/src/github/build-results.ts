/**
 * A pull_request build run completed: its artifacts are untrusted data. Each
 * `build-<target>` artifact completes that target's build check (from its
 * validated report) or fails it with the reason; builds the run never
 * reported fail too. Nothing here is ever signed.
 */
import { refusalLabel } from "@livepatch-gitops/lpctl/core/engine-support";
import { artifactTarget, readReport, REPORT_FILE } from "../build-artifact.js";
import { buildCheckOutput, CHECK, failureOutput } from "../checks.js";
import type { AppDeps } from "../deps.js";
import { decidedParagraph, type BuildOutcome, type LintCheckState } from "../decided.js";
import { cellCode } from "../markdown.js";
import { downloadRunArtifacts } from "./artifacts.js";
import { findOurRun, upsertCheckRun } from "./check-runs.js";
import { openPullsForHead } from "./pulls-for-sha.js";
import { upsertPrComment } from "./pr-comment.js";
import type { Octokit, RepoRef } from "./types.js";

export interface RunRef {
  id: number;
  /** `run_attempt`: a re-run keeps the run's id and reports again. */
  attempt: number;
  headSha: string;
  htmlUrl: string;
  conclusion: string | null;
}

type Outcome = BuildOutcome;

/** What the app needs of a workflow run as the API returns it. */
export function prRunRef(run: {
  id: number;
  run_attempt?: number;
  head_sha: string;
  html_url: string;
  conclusion: string | null;
}): RunRef {
  return {
    id: run.id,
    attempt: run.run_attempt ?? 1,
    headSha: run.head_sha,
    htmlUrl: run.html_url,
    conclusion: run.conclusion,
  };
}

type WriteState = Pick<AppDeps, "comments" | "writtenRuns">;

const writtenKey = (ref: RepoRef, run: RunRef) =>
  `${ref.owner}/${ref.repo}/${String(run.id)}/${String(run.attempt)}`;

/** Whether this process already completed the builds from this attempt of `run`, to the end. */
export function prBuildsWritten(state: WriteState, ref: RepoRef, run: RunRef): boolean {
  return state.writtenRuns.has(writtenKey(ref, run));
}

/** Completes the build checks of `run` on its head commit and updates the PRs' comments. */
export async function completePrBuilds(
  octokit: Octokit,
  ref: RepoRef,
  run: RunRef,
  appId: number | undefined,
  state: WriteState,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  // Only build-<target> artifacts are downloaded: the PR decides what else the run uploads.
  const wanted = (name: string) => artifactTarget(name) !== undefined;
  // Of each, only the report is inflated: the module is never looked at for a PR build.
  const artifacts = await downloadRunArtifacts(octokit, ref, run.id, {
    accept: wanted,
    entries: (path) => path === REPORT_FILE,
  });
  for (const a of artifacts) {
    const target = artifactTarget(a.name);
    if (target === undefined) continue;
    if ("error" in a) outcomes.push({ target, error: a.error.message });
    else {
      try {
        outcomes.push({ target, report: readReport(target, a.files) });
      } catch (e) {
        outcomes.push({ target, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  for (const o of outcomes) {
    const state =
      "report" in o
        ? {
            status: "completed" as const,
            ...buildCheckOutput(o.report, run.htmlUrl),
            detailsUrl: run.htmlUrl,
          }
        : {
            status: "completed" as const,
            conclusion: "failure" as const,
            output: failureOutput(`build of ${o.target}`, `the artifact was refused: ${o.error}`),
            detailsUrl: run.htmlUrl,
          };
    await upsertCheckRun(octokit, ref, run.headSha, CHECK.build(o.target), state, appId);
  }
  await failUnreported(octokit, ref, run, new Set(outcomes.map((o) => o.target)), appId);
  const lintRun = await findOurRun(octokit, ref, run.headSha, CHECK.lint, appId);
  const lint = lintRun && { conclusion: lintRun.conclusion, title: lintRun.output.title };
  const section = buildsSection(outcomes, run, lint);
  for (const pull of await openPullsForHead(octokit, ref, run.headSha))
    await upsertPrComment(octokit, ref, pull.number, { builds: section }, state.comments);
  state.writtenRuns.add(writtenKey(ref, run));
  return outcomes;
}

/** Build checks still open on the commit when the run is over: the run never reported them. */
async function failUnreported(
  octokit: Octokit,
  ref: RepoRef,
  run: RunRef,
  reported: ReadonlySet<string>,
  appId?: number,
): Promise<void> {
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    ...ref,
    ref: run.headSha,
    per_page: 100,
  });
  const prefix = CHECK.build("");
  for (const c of runs) {
    if (
      !c.name.startsWith(prefix.slice(0, -1)) ||
      c.status === "completed" ||
      (appId !== undefined && c.app?.id !== appId)
    )
      continue;
    const target = c.name.slice(prefix.length - 1, -1);
    if (reported.has(target)) continue;
    await octokit.rest.checks.update({
      ...ref,
      check_run_id: c.id,
      status: "completed",
      conclusion: "failure",
      details_url: run.htmlUrl,
      output: failureOutput(
        `build of ${target}`,
        `workflow run ${run.id} ended (${run.conclusion ?? "no conclusion"}) without a build-${target} artifact`,
      ),
    });
  }
}

/** The builds section; with the lint check's state it also says which check decided when they disagree. */
export function buildsSection(
  outcomes: readonly Outcome[],
  run: RunRef,
  lint?: LintCheckState,
): string {
  // The run's id and URL come from GitHub's API; everything in a report is the PR's.
  if (outcomes.length === 0)
    return `### Builds\n\n[Run ${run.id}](${run.htmlUrl}) produced no build artifact.`;
  const rows = outcomes.map((o) => {
    if ("error" in o) return `| ${cellCode(o.target)} | refused | ${cellCode(o.error)} |`;
    const fns = o.report.changes.map((c) => cellCode(c.function)).join(", ") || "none";
    const details =
      o.report.result === "success"
        ? `changed: ${fns}`
        : cellCode(o.report.error?.message ?? "no error message");
    // A refusal (an IBT kernel, an object the config does not build) is not a broken build.
    const refused = o.report.error && refusalLabel(o.report.error.code);
    return `| ${cellCode(o.target)} | ${refused ?? cellCode(o.report.result)} | ${details} |`;
  });
  return `### Builds ([run ${run.id}](${run.htmlUrl}))\n\n| target | result | details |\n| --- | --- | --- |\n${rows.join("\n")}${decidedParagraph(lint, outcomes)}\n\nThese are pull request builds: they are never signed or published.`;
}
