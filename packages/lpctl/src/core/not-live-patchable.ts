/**
 * A CVE a patch declares cannot be live patched (a data-structure change, a
 * boot-time path): hosts need a reboot into a kernel that fixes it. The same
 * record is read from patch.yaml and from the signed manifest.
 */
import * as z from "./zod-mini.js";
import { isPrintable } from "./printable.js";

export const CVE_PATTERN = /^CVE-\d{4}-\d{4,}$/;

/**
 * The kernel version that fixes the CVE: upstream (`6.1.119`, `6.13-rc1`) or
 * a Debian package version (`6.1.119-1`, `6.1.119-1~deb12u1`, `1:6.1-2`).
 * Anything else (`>= 6.1`, `v6.1`, `latest`) is refused: hosts print it as
 * the version to reboot into, and scanners compare it.
 */
export const FIXED_IN_PATTERN =
  /^(?:[0-9]+:)?[0-9]+\.[0-9]+(?:\.[0-9]+)*(?:[~+][A-Za-z0-9.~+]+)?(?:-[A-Za-z0-9.~+]+)?$/;

export const NotLivePatchableSchema = z.strictObject({
  cve: z.string().check(z.regex(CVE_PATTERN, "must look like CVE-YYYY-NNNN")),
  reason: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(200),
      z.refine(
        isPrintable,
        "must hold printable characters only (no control, bidirectional or zero-width characters)",
      ),
    ),
  fixedIn: z
    .string()
    .check(
      z.maxLength(64),
      z.regex(
        FIXED_IN_PATTERN,
        "must be the kernel or Debian package version that fixes the CVE, such as 6.1.119 or 6.1.119-1 (no operator, no 'v' prefix)",
      ),
    ),
});

export type NotLivePatchable = z.infer<typeof NotLivePatchableSchema>;

/** What a host must do about a record: the version to reboot into, and why. */
export function rebootAction(r: Pick<NotLivePatchable, "fixedIn" | "reason">): string {
  return `reboot into ≥ ${r.fixedIn} (not live patchable: ${r.reason})`;
}
