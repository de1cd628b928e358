/** Kernel targets: `kernels/<id>/target.yaml`. */
import { z } from "zod";
import { distroTargetIssues } from "./distro-target.js";
import { TargetImageSchema } from "./target-image.js";

export { TargetImageSchema };

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits (sha256)");
const relativeFile = z
  .string()
  .regex(/^[A-Za-z0-9._-]+$/, "must be a plain file name in the target's directory");

export const TargetSourceSchema = z.union([
  z.strictObject({
    debian: z.strictObject({
      package: z.string().regex(/^[a-z0-9][a-z0-9.+-]+$/, "must be a Debian package name"),
      version: z.string().min(1).optional(),
    }),
  }),
  z.strictObject({
    tarball: z.strictObject({ url: z.string().url(), sha256 }),
  }),
  z.strictObject({ path: z.string().min(1) }),
]);

export const TargetConfigSchema = z.union([
  z.strictObject({ file: relativeFile }),
  z.strictObject({
    base: z.enum(["tinyconfig", "defconfig", "allnoconfig"]),
    fragment: relativeFile.optional(),
  }),
]);

export const TargetSchema = z
  .strictObject({
    release: z
      .string()
      .regex(/^[0-9][A-Za-z0-9._+~-]*$/, "must be a kernel release as `uname -r` prints it"),
    arch: z.literal("x86_64"),
    description: z.string().optional(),
    source: TargetSourceSchema,
    /** Absent for a distribution's binary kernel (`image`): its headers package has the config. */
    config: TargetConfigSchema.optional(),
    /** A distribution's binary kernel, patched per changed object (docs/target-yaml.md). */
    image: z.optional(TargetImageSchema),
    /**
     * Compiler identity (CONFIG_CC_VERSION_TEXT). Required for a kernel built
     * elsewhere (`buildId`): modules need its exact compiler. For a lab target,
     * built here, it records what it was last built with; the runner's compiler
     * is used and recorded.
     */
    toolchain: z
      .string()
      .min(1, "must be the compiler identity (CONFIG_CC_VERSION_TEXT)")
      .optional(),
    /** GNU build-id of a kernel built elsewhere (a distro kernel); lab targets record theirs at build. */
    buildId: z
      .string()
      .regex(/^[0-9a-f]{8,128}$/, "must be lowercase hex")
      .optional(),
  })
  .refine((t) => t.buildId === undefined || t.toolchain !== undefined, {
    path: ["toolchain"],
    message:
      "is required with buildId: a kernel built elsewhere needs its exact compiler (CONFIG_CC_VERSION_TEXT from its config)",
  })
  .superRefine((t, ctx) => {
    if (t.image === undefined) {
      if (t.config === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["config"],
          message: "is required (or `image:` for a distribution's binary kernel)",
        });
      }
      return;
    }
    for (const issue of distroTargetIssues(t, t.image)) ctx.addIssue({ code: "custom", ...issue });
  });

export type TargetSpec = z.infer<typeof TargetSchema>;
export type { TargetImage } from "./target-image.js";

export interface KernelTarget extends TargetSpec {
  id: string;
  /** Config fragment or full config text, read from the file `config` names. */
  configText?: string;
}
