/**
 * `build-report.json`: what `lpctl build` writes next to a module and what the
 * publisher and the app read. Versioned by `schema`.
 */
import { z } from "zod";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const BuildChangeSchema = z.strictObject({
  /** Object file as kpatch-build printed it (basename or tree path). */
  object: z.string().min(1),
  kind: z.enum(["changed", "new"]),
  function: z.string().min(1),
});

export const BuildReportSchema = z.strictObject({
  schema: z.literal(1),
  target: z.string().min(1),
  release: z.string().min(1),
  arch: z.string().min(1),
  /** The exact kernel source used: `debian:PKG=VERSION@sha256:…`, `tarball:SHA256` or `path:DIR`. */
  kernelSource: z.string().min(1).optional(),
  /** GNU build-id of the pristine vmlinux the module was built against. */
  buildId: z.string().regex(/^[0-9a-f]+$/),
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
  /** Seconds per phase (prepare, kpatch-build, vm-test, ...). */
  timings: z.record(z.string(), z.number().nonnegative()),
  startedAt: z.string().datetime(),
  finishedAt: z.string().datetime(),
});

export type BuildReport = z.infer<typeof BuildReportSchema>;
export type BuildChange = z.infer<typeof BuildChangeSchema>;
