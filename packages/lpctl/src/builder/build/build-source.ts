/**
 * The provenance a build report records: in GitHub Actions the runner's
 * GITHUB_* variables, outside it the --source-* flags (which also override
 * the environment). No source at all is a local build: it builds, but the
 * publisher will not sign it.
 */
import { BuildSourceSchema, type BuildSource } from "../../core/build-report.js";
import { LpctlError } from "../../core/errors.js";
import { fieldPath } from "../../core/schema-issues.js";

export type SourceFlags = Partial<Record<keyof BuildSource, string>>;

const ENV: Record<keyof BuildSource, string> = {
  repository: "GITHUB_REPOSITORY",
  commit: "GITHUB_SHA",
  ref: "GITHUB_REF",
  event: "GITHUB_EVENT_NAME",
  workflowRun: "GITHUB_RUN_ID",
};

const FLAG: Record<keyof BuildSource, string> = {
  repository: "--source-repository",
  commit: "--source-commit",
  ref: "--source-ref",
  event: "--source-event",
  workflowRun: "--source-run",
};

/** The build's source from `flags` over `env`, or undefined when neither names any of it. */
export function buildSource(env: NodeJS.ProcessEnv, flags: SourceFlags): BuildSource | undefined {
  const fields = Object.keys(ENV) as (keyof BuildSource)[];
  const value = Object.fromEntries(
    fields.map((f) => [f, flags[f] ?? (env[ENV[f]] || undefined)] as const),
  );
  const missing = fields.filter((f) => value[f] === undefined);
  if (missing.length === fields.length) return undefined;
  if (missing.length > 0) {
    throw new LpctlError(
      "USAGE",
      `the build's source is incomplete: set ${missing.map((f) => `${FLAG[f]} (or ${ENV[f]})`).join(", ")}`,
    );
  }
  const parsed = BuildSourceSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = fieldPath(issue?.path ?? []) as keyof BuildSource;
    throw new LpctlError(
      "USAGE",
      `${FLAG[field] ?? field} (or ${ENV[field] ?? "?"}): ${issue?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}
