/** Patches: `patches/<id>/patch.yaml` plus its `*.patch` files. */
import { z } from "zod";
import { CVE_PATTERN, NotLivePatchableSchema } from "./not-live-patchable.js";
import { isPrintable } from "./printable.js";

export const PatchTestSchema = z.strictObject({
  /** Shell command run inside the booted VM after the module is loaded. */
  command: z.string().min(1),
  /** Text the command's output must contain. */
  expect: z.string().min(1),
});

export const PatchMetaSchema = z.strictObject({
  // The title lands in the signed manifest, `lpctl status` and the PR comment.
  title: z
    .string()
    .min(1)
    .max(200)
    .refine(
      isPrintable,
      "must hold printable characters only (no control characters such as ESC or a line break, no bidirectional or zero-width characters)",
    ),
  description: z.string().min(1),
  cves: z.array(z.string().regex(CVE_PATTERN, "must look like CVE-YYYY-NNNN")).default([]),
  kernels: z.array(z.string().min(1)).min(1, "must name at least one kernel target or glob"),
  /**
   * CVEs of these kernels that cannot be live patched, each with the reason
   * and the version that fixes it. A directory may hold only these records
   * and no *.patch file: it builds nothing.
   */
  notLivePatchable: z.array(NotLivePatchableSchema).default([]),
  upstream: z
    .string()
    .regex(/^[0-9a-f]{7,40}$/, "must be a commit hash")
    .optional(),
  test: PatchTestSchema.optional(),
  /**
   * Pulled back: builds, plans and the manifest treat the patch as gone
   * (hosts unload it), while its directory stays as the record of why.
   */
  withdrawn: z
    .strictObject({
      reason: z
        .string()
        .min(1)
        .max(200)
        .refine(isPrintable, "must hold printable characters only (it reaches lpctl status)"),
    })
    .optional(),
});

export type PatchMeta = z.infer<typeof PatchMetaSchema>;

/** A withdrawn patch targets nothing; `meta` may be an unchecked patch.yaml value (the plan reads leniently). */
export function isWithdrawn(meta: object): boolean {
  return "withdrawn" in meta && meta.withdrawn !== undefined && meta.withdrawn !== null;
}

export interface PatchFile {
  /** Repository-relative path, e.g. patches/cmdline-banner/0001-banner.patch. */
  path: string;
  text: string;
}

export interface LivePatch extends PatchMeta {
  id: string;
  /** The patch files in apply order (sorted by file name). */
  files: PatchFile[];
  /** Target ids the `kernels` entries resolved to. */
  targets: string[];
}
