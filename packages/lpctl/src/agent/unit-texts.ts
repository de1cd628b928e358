/**
 * The systemd unit texts (packages/lpctl/contrib/systemd). The single-file agent has no
 * contrib/ beside it, so the bundler bakes them in (__LPCTL_UNITS__); from
 * a checkout or dist/ they are read from the package.
 */
import { readFile } from "node:fs/promises";
import { fsStep } from "../io/fs-errors.js";

declare const __LPCTL_UNITS__: Record<string, string> | undefined;

export const UNIT_NAMES = ["lpctl-sync.service", "lpctl-sync.timer", "lpctl-boot.service"] as const;
export type UnitName = (typeof UNIT_NAMES)[number];

/** The text of unit `name` as shipped. */
export async function unitText(name: UnitName): Promise<string> {
  if (typeof __LPCTL_UNITS__ === "object") {
    const baked = __LPCTL_UNITS__[name];
    if (baked !== undefined) return baked;
  }
  // packages/lpctl/src/agent or packages/lpctl/dist/agent → the package root.
  const file = new URL(`../../contrib/systemd/${name}`, import.meta.url);
  return fsStep(`read the unit ${file.pathname}`, () => readFile(file, "utf8"));
}
