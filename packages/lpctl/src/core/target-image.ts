/**
 * The `image:` of a kernel target (target.ts), on its own: the signed
 * manifest (manifest.ts) embeds it, so the host agent needs this schema but
 * none of the builder's target schemas (agent start time). zod/mini, like
 * every schema the agent builds at start (manifest.ts).
 */
import * as z from "./zod-mini.js";

const debianPackage = z.regex(/^[a-z0-9][a-z0-9.+-]+$/, "must be a Debian package name");

/**
 * A distribution's binary kernel: the image package at its exact version.
 * The headers (`.config`, `Module.symvers`, `.kernelvariables`), the `-dbg`
 * vmlinux and the source are the packages of the same build (see
 * distro-target.ts); the builder fetches each at this version.
 */
export const TargetImageSchema = z.strictObject({
  debian: z.strictObject({
    package: z
      .string()
      .check(
        debianPackage,
        z.regex(/^linux-image-/, "must be a Debian kernel image package (linux-image-<release>)"),
      ),
    version: z
      .string()
      .check(z.regex(/^[0-9][A-Za-z0-9.+~:-]*$/, "must be the exact Debian version")),
  }),
});

export type TargetImage = z.infer<typeof TargetImageSchema>;
