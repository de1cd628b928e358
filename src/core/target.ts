/** Kernel targets: `kernels/<id>/target.yaml`. */
import { z } from "zod";

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
    config: TargetConfigSchema,
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
  });

export type TargetSpec = z.infer<typeof TargetSchema>;

export interface KernelTarget extends TargetSpec {
  id: string;
  /** Config fragment or full config text, read from the file `config` names. */
  configText?: string;
}
