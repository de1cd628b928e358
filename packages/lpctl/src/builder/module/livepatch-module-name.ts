/**
 * Module names. kpatch-build keeps `-` in the file name but the kernel and
 * sysfs show `_`, so names here use only [a-z0-9_]: file, module and sysfs
 * names are then the same string. kpatch-build cuts names at 55 characters.
 */
import { createHash } from "node:crypto";
import { LpctlError } from "../../core/errors.js";

export const MODULE_NAME_MAX = 55;
const SAFE = /^[a-z0-9_]+$/;

function squash(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/**
 * The serial used when --serial is not given: `dev` + the first 8 hex digits
 * of a hash over the patch ids and their content digests, so the same patch
 * set always builds the same name and a different set never collides.
 */
export function devSerial(patches: readonly { id: string; sha256: string }[]): string {
  const h = createHash("sha256");
  for (const p of patches) h.update(`${p.id}\0${p.sha256}\n`);
  return `dev${h.digest("hex").slice(0, 8)}`;
}

/** `lp_<target>_<serial>`, the target part shortened so the whole fits 55 chars. */
export function moduleName(targetId: string, serial: string): string {
  const s = squash(serial);
  if (s === "") {
    throw new LpctlError(
      "MODULE_NAME_INVALID",
      `serial '${serial}' has no usable characters; pass a --serial of letters and digits (e.g. the manifest version)`,
      { details: { serial } },
    );
  }
  const room = MODULE_NAME_MAX - "lp_".length - 1 - s.length;
  if (room < 1) {
    throw new LpctlError(
      "MODULE_NAME_INVALID",
      `serial '${serial}' is too long for a module name (kpatch-build allows ${MODULE_NAME_MAX} characters); pass a shorter --serial`,
      { details: { serial } },
    );
  }
  const t = squash(targetId).slice(0, room).replace(/_+$/, "");
  const name = `lp_${t}_${s}`;
  if (!SAFE.test(name) || name.length > MODULE_NAME_MAX) {
    throw new LpctlError(
      "MODULE_NAME_INVALID",
      `cannot build a module name from target '${targetId}' and serial '${serial}'; use letters, digits, '-' or '_'`,
      { details: { target: targetId, serial } },
    );
  }
  return name;
}
