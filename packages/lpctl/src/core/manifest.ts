/**
 * The signed manifest. `manifest.json` lists every kernel target;
 * `kernel-<buildId>.json` has the same shape with only that target's entry.
 * Built with zod/mini: the host agent builds the entry's schemas at every
 * start (its state keeps an entry), and a mini schema costs a fraction of a
 * classic one to build (no bound methods per schema object); the checks and
 * messages are zod's own either way.
 */
import * as z from "./zod-mini.js";
import { RING_NAME } from "./ring-name.js";
import { TargetIdSchema } from "./target-id.js";
import { TargetImageSchema } from "./target-image.js";
import { NotLivePatchableSchema } from "./not-live-patchable.js";

/** A plain base name: no directory, no traversal, no hidden file. */
export const BASE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

const positiveInt = () => z.number().check(z.int(), z.positive());

export const ManifestPatchSchema = z.strictObject({
  id: z.string().check(z.minLength(1)),
  title: z.string(),
  cves: z.array(z.string()),
  pr: z.optional(positiveInt()),
  commit: z.optional(z.string().check(z.regex(/^[0-9a-f]{7,64}$/))),
});

export const ManifestModuleSchema = z.strictObject({
  file: z.string().check(z.regex(BASE_NAME, "must be a plain base name")),
  name: z.string().check(z.regex(/^[A-Za-z0-9_]+$/)),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  length: positiveInt(),
});

/** A patch that left this target's module: hosts unload it, status says why. */
export const ManifestWithdrawnSchema = z.strictObject({
  id: z.string().check(z.minLength(1)),
  title: z.string(),
  cves: z.array(z.string()),
  reason: z.string().check(z.minLength(1)),
  /** The manifest version that first shipped this target without it. */
  version: positiveInt(),
});

export const ManifestKernelSchema = z.strictObject({
  target: TargetIdSchema,
  release: z.string().check(z.minLength(1)),
  arch: z.string().check(z.minLength(1)),
  buildId: z.string().check(z.regex(/^[0-9a-f]{8,128}$/)),
  /**
   * A distribution's binary kernel: the package and exact version this build
   * ships in, so scanners (OpenVEX) can name it as they name installed packages.
   */
  image: z.optional(TargetImageSchema),
  /** Absent when no active patch targets this kernel any more: hosts unload what they run. */
  module: z.optional(ManifestModuleSchema),
  /** The repository commit the module was built from (the build report's source). */
  commit: z.optional(z.string().check(z.regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/))),
  patches: z.array(ManifestPatchSchema),
  /** CVEs of this kernel no live patch fixes: hosts need a reboot into `fixedIn` or later. */
  notLivePatchable: z.optional(z.array(NotLivePatchableSchema)),
  withdrawn: z.optional(z.array(ManifestWithdrawnSchema)),
});

/**
 * Built on first parse (z.lazy): every module top of the host agent runs at
 * each start, and an idle sync (a 304) parses no manifest, only the state's
 * stored entry (ManifestKernelSchema).
 */
export const ManifestSchema = z.lazy(() =>
  z.strictObject({
    schema: z.literal(1),
    /** Strictly increasing; hosts refuse a lower one than they accepted (rollback). */
    version: z.number().check(z.int(), z.positive(), z.lte(Number.MAX_SAFE_INTEGER)),
    issued: z.iso.datetime({ offset: true }),
    expires: z.iso.datetime({ offset: true }),
    repository: z.string().check(z.minLength(1)),
    /**
     * The key-list version the signer belongs to (0: the hosts' pinned keys).
     * Hosts fetch key lists only when it moved; absent from older publishers.
     */
    keys: z.optional(z.number().check(z.int(), z.nonnegative(), z.lte(Number.MAX_SAFE_INTEGER))),
    /** The rollout ring this manifest is for (`manifest.<ring>.json`); absent in the unringed files. */
    ring: z.optional(z.string().check(z.regex(RING_NAME))),
    kernels: z.array(ManifestKernelSchema),
  }),
);

export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestKernel = z.infer<typeof ManifestKernelSchema>;
export type ManifestPatch = z.infer<typeof ManifestPatchSchema>;
export type ManifestWithdrawn = z.infer<typeof ManifestWithdrawnSchema>;
export type ManifestModule = z.infer<typeof ManifestModuleSchema>;
/** An entry that has a module (one without names only what was withdrawn). */
export type ModuleEntry = ManifestKernel & { module: ManifestModule };

/** Whether `entry` has a module to load, rebuild or copy. */
export function hasModule(entry: ManifestKernel): entry is ModuleEntry {
  return entry.module !== undefined;
}

/** Largest manifest a reader parses; checked before parsing (a 4 MiB cap). */
export const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;

/** File name of the per-kernel manifest a host with `buildId` (in `ring`, if any) fetches. */
export function kernelManifestName(buildId: string, ring?: string): string {
  return ring === undefined ? `kernel-${buildId}.json` : `kernel-${buildId}.${ring}.json`;
}

/** File name of the full manifest of `ring` (`manifest.json` without one). */
export function fullManifestName(ring?: string): string {
  return ring === undefined ? "manifest.json" : `manifest.${ring}.json`;
}
