/**
 * `.github/livepatch.yml`: who may approve, how many approvals, how long a
 * manifest lives, the build workflow the app trusts and the patch style the
 * lint asks for. Always read from the
 * default branch's head commit, never a pull request's head: a PR must not
 * choose its own reviewers.
 */
import { z } from "zod";
import { LpctlError } from "./errors.js";
import { PATCH_STYLES } from "./lint/patch-style.js";
import { fieldPath } from "./schema-issues.js";
import { parseYaml } from "./yaml-input.js";

export const CONFIG_PATH = ".github/livepatch.yml";

const login = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "must be a GitHub login");
/** `org/team-slug`, or a slug in the repository owner's organization. */
const team = z
  .string()
  .regex(/^(?:[A-Za-z0-9-]{1,39}\/)?[A-Za-z0-9_.-]{1,100}$/, "must be org/team");

export const AppConfigSchema = z.strictObject({
  reviewers: z
    .strictObject({
      users: z.array(login).default([]),
      teams: z.array(team).default([]),
    })
    .default({ users: [], teams: [] }),
  requiredApprovals: z.number().int().min(1).max(20).default(1),
  manifest: z
    .strictObject({
      /** TUF-timestamp-like: a host notices a withheld update within a day. */
      lifetimeHours: z
        .number()
        .min(1)
        .max(24 * 366)
        .default(24),
      /** Re-issue when the manifest expires within this margin. */
      refreshMarginHours: z.number().min(0).default(12),
    })
    .default({ lifetimeHours: 24, refreshMarginHours: 12 }),
  buildWorkflow: z
    .string()
    .regex(/^\.github\/workflows\/[A-Za-z0-9._-]+\.ya?ml$/, "must be .github/workflows/<file>.yml")
    .default(".github/workflows/build.yml"),
  /** The diff style patches are written in; the lint warns on another (every style applies the same). */
  patchStyle: z.enum(PATCH_STYLES).optional(),
});

export type AppConfig = z.infer<typeof AppConfigSchema>;

/** The configuration in `text` (undefined: no file, the defaults). */
export function parseAppConfig(text: string | undefined, where = CONFIG_PATH): AppConfig {
  let value: unknown = {};
  if (text !== undefined) {
    const parsed = parseYaml(where, text);
    if (parsed.problems.length > 0)
      throw new LpctlError(
        "APP_CONFIG_INVALID",
        `${where}: ${parsed.problems[0]?.message ?? "invalid YAML"}`,
      );
    value = parsed.value ?? {};
  }
  const result = AppConfigSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new LpctlError(
      "APP_CONFIG_INVALID",
      `${where}: ${fieldPath(issue?.path ?? [])}: ${issue?.message ?? "invalid"}; fix it on the default branch`,
    );
  }
  if (result.data.manifest.refreshMarginHours >= result.data.manifest.lifetimeHours)
    throw new LpctlError(
      "APP_CONFIG_INVALID",
      `${where}: manifest.refreshMarginHours must be less than manifest.lifetimeHours, or every run re-issues`,
    );
  return result.data;
}
