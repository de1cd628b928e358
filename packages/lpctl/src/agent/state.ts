/**
 * What the agent remembers between runs (<stateDir>/state.json): the last
 * manifest it accepted (rollback protection), the fetch validators, the
 * module it applied, and the last error. Written atomically.
 */
import * as z from "zod";
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

export const AgentStateSchema = z.strictObject({
  schema: z.literal(1),
  kernel: z.strictObject({ release: z.string(), buildId: z.string() }).optional(),
  manifest: z
    .strictObject({
      /** The file it came from: kernel-<id>.json or manifest.json. */
      name: z.string(),
      version: z.number(),
      issued: z.string(),
      expires: z.string(),
      repository: z.string(),
      /** sha256 of the accepted bytes: one version must always name one content. */
      sha256: z.string().optional(),
      fingerprints: z.array(z.string()),
      etag: z.string().optional(),
      lastModified: z.string().optional(),
      /** This kernel's entry in it; null = nothing to apply. */
      entry: ManifestKernelSchema.nullable(),
    })
    .optional(),
  applied: AppliedSchema.optional(),
  /** The keys trusted now: the pinned ones (version 0) or the key list accepted last. */
  trust: z
    .strictObject({
      version: z.number().int().nonnegative(),
      threshold: z.number().int().positive(),
      keys: z.array(z.string()).min(1),
      expires: z.string().optional(),
      /** sha256 of the pinned keys and threshold the chain started from. */
      pinned: z.string(),
    })
    .optional(),
  /** The module this agent unloaded because a manifest version withdrew every patch in it. */
  withdrawal: z.strictObject({ name: z.string(), version: z.number(), at: z.string() }).optional(),
  /** `lpctl revert` was run: do not apply until `sync --force`. */
  optOut: z.strictObject({ at: z.string() }).optional(),
  lastCheck: z.string().optional(),
  lastSuccess: z.string().optional(),
  lastError: z.strictObject({ code: z.string(), message: z.string(), at: z.string() }).optional(),
  /**
   * The last attempt to apply the manifest's module failed (obtain, load or
   * transition): status reports `apply-failed` until an apply succeeds.
   */
  failedApply: z
    .strictObject({
      name: z.string(),
      manifestVersion: z.number(),
      code: z.string(),
      message: z.string(),
      at: z.string(),
    })
    .optional(),
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
