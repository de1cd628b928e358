/**
 * What the agent remembers between runs (<stateDir>/state.json): the last
 * manifest it accepted (rollback protection), the fetch validators, the
 * module it applied, and the last error. Written atomically. zod/mini:
 * every sync builds these schemas (core/manifest.ts says why mini).
 */
import * as z from "../core/zod-mini.js";
import { ManifestKernelSchema } from "../core/manifest.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { fsStep } from "../io/fs-errors.js";
import { readJsonFile } from "./json-file.js";

const AppliedSchema = z.strictObject({
  name: z.string(),
  file: z.string(),
  sha256: z.string(),
  version: z.number(),
  patches: z.array(
    z.strictObject({ id: z.string(), title: z.string(), cves: z.array(z.string()) }),
  ),
  appliedAt: z.string(),
});

/** The manifest accepted last; prepared.json keeps one per prepared kernel. */
export const StoredManifestSchema = z.strictObject({
  /** The file it came from: kernel-<id>.json or manifest.json. */
  name: z.string(),
  version: z.number(),
  issued: z.string(),
  expires: z.string(),
  repository: z.string(),
  /** sha256 of the accepted bytes: one version must always name one content. */
  sha256: z.optional(z.string()),
  fingerprints: z.array(z.string()),
  etag: z.optional(z.string()),
  lastModified: z.optional(z.string()),
  /** This kernel's entry in it; null = nothing to apply. */
  entry: z.nullable(ManifestKernelSchema),
});

/** The keys trusted now: the pinned ones (version 0) or the key list accepted last. */
export const TrustSchema = z.strictObject({
  version: z.number().check(z.int(), z.nonnegative()),
  threshold: z.number().check(z.int(), z.positive()),
  keys: z.array(z.string()).check(z.minLength(1)),
  expires: z.optional(z.string()),
  /** sha256 of the pinned keys and threshold the chain started from. */
  pinned: z.string(),
});

export const AgentStateSchema = z.strictObject({
  schema: z.literal(1),
  kernel: z.optional(z.strictObject({ release: z.string(), buildId: z.string() })),
  manifest: z.optional(StoredManifestSchema),
  applied: z.optional(AppliedSchema),
  trust: z.optional(TrustSchema),
  /** The module this agent unloaded because a manifest version withdrew every patch in it. */
  withdrawal: z.optional(z.strictObject({ name: z.string(), version: z.number(), at: z.string() })),
  /** `lpctl revert` was run: do not apply until `sync --force`. */
  optOut: z.optional(z.strictObject({ at: z.string() })),
  lastCheck: z.optional(z.string()),
  lastSuccess: z.optional(z.string()),
  lastError: z.optional(z.strictObject({ code: z.string(), message: z.string(), at: z.string() })),
  /**
   * The last attempt to apply the manifest's module failed (obtain, load or
   * transition): status reports `apply-failed` until an apply succeeds.
   */
  failedApply: z.optional(
    z.strictObject({
      name: z.string(),
      manifestVersion: z.number(),
      code: z.string(),
      message: z.string(),
      at: z.string(),
    }),
  ),
});

export type AgentState = z.infer<typeof AgentStateSchema>;
export type AppliedModule = z.infer<typeof AppliedSchema>;

export const EMPTY_STATE: AgentState = { schema: 1 };

export const stateFile = (stateDir: string): string => `${stateDir}/state.json`;

/** The stored state, or EMPTY_STATE on a fresh host; STATE_INVALID when corrupt. */
export async function readState(stateDir: string): Promise<AgentState> {
  const state = await readJsonFile(
    stateFile(stateDir),
    AgentStateSchema,
    "STATE_INVALID",
    "move it away to start over",
  );
  return state ?? EMPTY_STATE;
}

/** Replaces the state file atomically (temp + fsync + rename). */
export async function writeState(stateDir: string, state: AgentState): Promise<void> {
  const file = stateFile(stateDir);
  await fsStep(`write the agent state ${file}`, () =>
    writeFileAtomic(file, JSON.stringify(state, null, 2) + "\n"),
  );
}
