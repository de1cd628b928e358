/**
 * `build-report.json`: what `lpctl build` writes next to a module and what the
 * publisher and the app read. Versioned by `schema`.
 */
import { z } from "zod";
import { REPOSITORY_PATTERN } from "./ids.js";
import { TargetIdSchema } from "./target-id.js";
import { TargetImageSchema } from "./target.js";

export { TargetIdSchema };

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const BuildChangeSchema = z.strictObject({
  /** Object file as kpatch-build printed it (basename or tree path). */
  object: z.string().min(1),
  kind: z.enum(["changed", "new"]),
  function: z.string().min(1),
});

/** One lint finding as `lpctl lint --json` prints it. */
export const BuildLintFindingSchema = z.strictObject({
  patch: z.string().min(1),
  file: z.string().min(1),
  startLine: z.number().int().positive(),
  endLine: z.number().int().positive(),
  severity: z.enum(["error", "warning"]),
  rule: z.string().min(1),
  message: z.string().min(1),
});

/** The source-aware lint run on the prepared tree before kpatch-build. */
export const BuildLintSchema = z.strictObject({
  /** True when the findings were decided on the target's source (always, from a build). */
  sourceAware: z.boolean(),
  findings: z.array(BuildLintFindingSchema),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  /** Why the lint could not run; the build goes on without it. */
  failed: z.string().optional(),
});

/**
 * Where the build came from, as the runner saw it (GITHUB_* in Actions):
 * the signer checks it against the trusted build it was asked to sign.
 */
export const BuildSourceSchema = z.strictObject({
  repository: z.string().regex(REPOSITORY_PATTERN, "must be owner/name"),
  commit: z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, "must be a full commit id"),
  ref: z.string().min(1).max(255),
  event: z.string().regex(/^[a-z_]{1,64}$/),
  workflowRun: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
});

export const BuildReportSchema = z.strictObject({
  schema: z.literal(1),
  target: TargetIdSchema,
  release: z.string().min(1),
  arch: z.string().min(1),
  /** The exact kernel source used: `debian:PKG=VERSION@sha256:…`, `tarball:SHA256` or `path:DIR`. */
  kernelSource: z.string().min(1).optional(),
  /** GNU build-id of the pristine vmlinux the module was built against. */
  buildId: z.string().regex(/^[0-9a-f]+$/),
  /** A distribution's binary kernel: the image package and exact version it ships in (target.yaml's `image`). */
  image: z.optional(TargetImageSchema),
  result: z.enum(["success", "failure"]),
  module: z
    .strictObject({
      file: z.string().regex(/^[A-Za-z0-9._-]+\.ko$/),
      /** The module name as the kernel and sysfs show it (`_` for `-`). */
      name: z.string().regex(/^[A-Za-z0-9_]+$/),
      sha256: hex64,
      length: z.number().int().positive(),
      vermagic: z.string(),
    })
    .optional(),
  patches: z.array(z.strictObject({ id: z.string().min(1), sha256: hex64 })),
  changes: z.array(BuildChangeSchema),
  patchedObjects: z.array(z.string()),
  warnings: z.array(z.string()),
  error: z
    .strictObject({
      code: z.string(),
      message: z.string(),
      patch: z.string().optional(),
      rule: z.string().optional(),
      logTail: z.array(z.string()),
    })
    .optional(),
  toolchain: z.strictObject({
    compiler: z.string(),
    kpatchBuild: z.string(),
    mismatchAllowed: z.boolean(),
  }),
  /** Optional and additive: reports written before the source-aware lint have none. */
  lint: BuildLintSchema.optional(),
  /** Seconds per phase (prepare, kpatch-build, vm-test, ...). */
  timings: z.record(z.string(), z.number().nonnegative()),
  /** Absent in local builds without --source-* flags: those cannot be published. */
  source: BuildSourceSchema.optional(),
  startedAt: z.string().datetime(),
  finishedAt: z.string().datetime(),
});

export type BuildReport = z.infer<typeof BuildReportSchema>;
export type BuildChange = z.infer<typeof BuildChangeSchema>;
export type BuildLint = z.infer<typeof BuildLintSchema>;
export type BuildSource = z.infer<typeof BuildSourceSchema>;
