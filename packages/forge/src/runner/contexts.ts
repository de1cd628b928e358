/** The `github`, `runner` and default environment of a job, from the run's context. */
import path from "node:path";
import type { RunContext, WorkflowEvent } from "./contract.js";
import type { Json } from "./expressions.js";

/** Where one job (one matrix leg) runs. */
export interface JobPlace {
  jobId: string;
  workspace: string;
  temp: string;
  eventPath: string;
}

function refName(ref: string): { name: string; type: "branch" | "tag" } {
  if (ref.startsWith("refs/tags/")) return { name: ref.slice(10), type: "tag" };
  return { name: ref.replace(/^refs\/heads\//, ""), type: "branch" };
}

/** The `github` context (the fields a workflow can rely on). */
export function githubContext(ctx: RunContext, event: WorkflowEvent, place: JobPlace): Json {
  const ref = refName(ctx.ref);
  return {
    action: "",
    actor: ctx.actor,
    api_url: ctx.apiUrl,
    base_ref: ctx.baseRef ?? "",
    event: event.payload as Json,
    event_name: event.name,
    event_path: place.eventPath,
    graphql_url: `${ctx.apiUrl.replace(/\/v3\/?$/, "")}/graphql`,
    head_ref: ctx.headRef ?? "",
    job: place.jobId,
    ref: ctx.ref,
    ref_name: ref.name,
    ref_type: ref.type,
    repository: ctx.repository,
    repository_owner: ctx.repositoryOwner,
    retention_days: "90",
    run_attempt: String(ctx.runAttempt),
    run_id: String(ctx.runId),
    run_number: String(ctx.runNumber),
    server_url: ctx.serverUrl,
    sha: ctx.sha,
    token: ctx.token,
    triggering_actor: ctx.actor,
    workflow: ctx.workflow,
    workspace: place.workspace,
  };
}

export function runnerContext(place: JobPlace): Json {
  return {
    arch: "X64",
    debug: "",
    environment: "self-hosted",
    name: "lpctl-forge",
    os: "Linux",
    temp: place.temp,
    tool_cache: path.join(place.temp, "tool-cache"),
  };
}

/**
 * The `inputs` of a workflow_dispatch: the payload's inputs over the
 * declared defaults, booleans typed as GitHub types them.
 */
export function inputsContext(
  declared: Record<string, { type?: string; default?: unknown }> | undefined,
  event: WorkflowEvent,
): Json {
  const given = (event.payload.inputs ?? {}) as Record<string, unknown>;
  const out: Record<string, Json> = {};
  for (const [name, def] of Object.entries(declared ?? {})) {
    const raw = given[name] ?? def.default ?? "";
    out[name] = def.type === "boolean" ? raw === true || raw === "true" : text(raw);
  }
  for (const [name, value] of Object.entries(given)) out[name] ??= text(value);
  return out;
}

const text = (v: unknown): string =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean"
    ? String(v)
    : JSON.stringify(v);

/**
 * The variables GitHub's runner sets for every step. GITHUB_TOKEN is not
 * among them: a step sees the token only if the workflow passes it.
 */
export function defaultEnv(
  ctx: RunContext,
  event: WorkflowEvent,
  place: JobPlace,
): Record<string, string> {
  const ref = refName(ctx.ref);
  return {
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_ACTOR: ctx.actor,
    GITHUB_API_URL: ctx.apiUrl,
    GITHUB_BASE_REF: ctx.baseRef ?? "",
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: place.eventPath,
    GITHUB_HEAD_REF: ctx.headRef ?? "",
    GITHUB_JOB: place.jobId,
    GITHUB_REF: ctx.ref,
    GITHUB_REF_NAME: ref.name,
    GITHUB_REF_TYPE: ref.type,
    GITHUB_REPOSITORY: ctx.repository,
    GITHUB_REPOSITORY_OWNER: ctx.repositoryOwner,
    GITHUB_RUN_ATTEMPT: String(ctx.runAttempt),
    GITHUB_RUN_ID: String(ctx.runId),
    GITHUB_RUN_NUMBER: String(ctx.runNumber),
    GITHUB_SERVER_URL: ctx.serverUrl,
    GITHUB_SHA: ctx.sha,
    GITHUB_WORKFLOW: ctx.workflow,
    GITHUB_WORKSPACE: place.workspace,
    RUNNER_ARCH: "X64",
    RUNNER_NAME: "lpctl-forge",
    RUNNER_OS: "Linux",
    RUNNER_TEMP: place.temp,
  };
}

/** What a step inherits from the forge's own environment: nothing that could be a secret. */
export function hostEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const keep = ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "TZ", "TERM"];
  return Object.fromEntries(keep.flatMap((k) => (env[k] === undefined ? [] : [[k, env[k]]])));
}
