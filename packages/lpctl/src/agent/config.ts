/**
 * /etc/lpctl/config.yaml: where the host pulls from, which keys it trusts and
 * how it loads modules. Validated with zod (zod/mini: every command builds
 * this schema; core/manifest.ts says why mini); errors name the field path.
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import * as z from "../core/zod-mini.js";
import { LpctlError } from "../core/errors.js";
import { REPOSITORY_PATTERN } from "../core/ids.js";
import { RING_NAME } from "../core/ring-name.js";
import { fieldPath } from "../core/schema-issues.js";
import { DEFAULT_STATE_DIR } from "./host-root.js";

export const DEFAULT_CONFIG_PATH = "/etc/lpctl/config.yaml";

/** A missing field's message says what to write (the packaged config has every field commented out). */
const required = (what: string, example: string, otherwise: string) => (i: { input: unknown }) =>
  i.input === undefined ? `required: ${what}, e.g. ${example}` : otherwise;

const SourceSchema = z.pipe(
  z
    .string({
      error: required(
        "where the manifests are published",
        "source: https://livepatches.example.org/",
        "must be a string",
      ),
    })
    .check(
      z.refine((s) => /^(https?:\/\/[^/]+\/|file:\/\/\/)/.test(s), {
        message: "must be an http(s):// URL or a file:///absolute/path",
      }),
    ),
  // Manifest and module names are appended to the source.
  z.transform((s: string) => (s.endsWith("/") ? s : `${s}/`)),
);

const AbsPath = z
  .string()
  .check(z.refine((s) => s.startsWith("/"), { message: "must be an absolute path" }));

const command = (fallback: string) =>
  z._default(z.array(z.string().check(z.minLength(1))).check(z.minLength(1)), [fallback]);

export const AgentConfigSchema = z.strictObject({
  source: SourceSchema,
  /**
   * The repository whose manifests this host accepts (`owner/name`): a key
   * shared by several repositories must not let one repository's manifest
   * patch another's hosts.
   */
  repository: z
    .string({
      error: (i) =>
        i.input === undefined
          ? "required: the repository this host follows, e.g. repository: owner/livepatches (see docs/operating-hosts.md, migrating)"
          : "must be a string owner/name",
    })
    .check(z.regex(REPOSITORY_PATTERN, "must be owner/name")),
  keys: z
    .array(AbsPath, {
      error: required(
        "the pinned public key file(s)",
        "keys: [/etc/lpctl/keys/release.asc]",
        "must be a list of absolute paths",
      ),
    })
    .check(z.minLength(1)),
  threshold: z._default(z.number().check(z.int(), z.positive()), 1),
  /**
   * The rollout ring this host is in (.github/livepatch-rings.yml): it
   * fetches kernel-<buildId>.<ring>.json and accepts only that ring's
   * manifests. Absent: the unringed files, which carry the first ring.
   */
  ring: z.optional(
    z
      .string()
      .check(
        z.regex(
          RING_NAME,
          "must be a ring name from the repository's rings file, e.g. ring: stable",
        ),
      ),
  ),
  stateDir: z._default(AbsPath, DEFAULT_STATE_DIR),
  /** Seconds to wait for a live patch transition before reverting it. */
  transitionTimeout: z._default(z.number().check(z.positive(), z.lte(3600)), 60),
  /** Seconds into a transition after which stalled tasks are signalled. */
  signalAfter: z._default(z.number().check(z.nonnegative()), 15),
  kernelIdentity: z._default(z.enum(["build-id", "release-only"]), "build-id"),
  loader: z._default(z.strictObject({ load: command("insmod"), unload: command("rmmod") }), {
    load: ["insmod"],
    unload: ["rmmod"],
  }),
});

export type AgentConfig = z.infer<typeof AgentConfigSchema>;

/** Validates parsed YAML; `file` names the source in errors. */
export function parseAgentConfig(value: unknown, file: string): AgentConfig {
  const result = AgentConfigSchema.safeParse(value ?? {});
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) => `${file}: ${fieldPath(i.path) || "(top level)"}: ${i.message}`,
    );
    throw new LpctlError("CONFIG_INVALID", lines.join("\n"), {
      details: { file, issues: result.error.issues },
    });
  }
  if (result.data.threshold > result.data.keys.length) {
    throw new LpctlError(
      "CONFIG_INVALID",
      `${file}: threshold: ${result.data.threshold} exceeds the ${result.data.keys.length} key file(s) listed`,
    );
  }
  return result.data;
}

/** Reads and validates the config file at `file` (an actual path). */
export async function loadAgentConfig(file: string): Promise<AgentConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new LpctlError("CONFIG_INVALID", `cannot read ${file}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new LpctlError("CONFIG_INVALID", `${file}: not valid YAML: ${(e as Error).message}`, {
      cause: e,
    });
  }
  return parseAgentConfig(value, file);
}
