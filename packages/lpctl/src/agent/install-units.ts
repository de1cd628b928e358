/**
 * Installs lpctl-sync.service, lpctl-sync.timer and lpctl-boot.service into
 * <root>/etc/systemd/system, with ExecStart running `exec sync` (the boot
 * unit: `exec sync --offline`) and, for a configuration other than the
 * default, `--config FILE`.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { LpctlError } from "../core/errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { fsStep } from "../io/fs-errors.js";
import { DEFAULT_CONFIG_PATH } from "./config.js";
import type { HostRoot } from "./host-root.js";
import { UNIT_NAMES, unitText } from "./unit-texts.js";

/** The ExecStart the shipped service has (the .deb installs the bundle there). */
export const SHIPPED_EXEC = "/usr/bin/lpctl";
const SHIPPED_LINE = `ExecStart=${SHIPPED_EXEC} sync`;

export interface UnitOptions {
  /** The lpctl binary ExecStart runs. */
  exec: string;
  /** The agent configuration sync reads (as the host sees it). */
  config: string;
}

function checkPath(flag: string, value: string): void {
  // systemd splits ExecStart on spaces; a relative path would depend on its cwd.
  if (!path.isAbsolute(value) || /\s/.test(value)) {
    throw new LpctlError(
      "USAGE",
      `${flag} must be an absolute path without spaces, got '${value}'`,
    );
  }
}

/** Unit text with ExecStart running `opts.exec sync [--config opts.config]`. */
export function withExecStart(unit: string, opts: UnitOptions): string {
  checkPath("--exec", opts.exec);
  checkPath("--config", opts.config);
  if (!unit.includes(SHIPPED_LINE) && unit.includes("ExecStart=")) {
    throw new LpctlError("INTERNAL", `the shipped service has no '${SHIPPED_LINE}' line`);
  }
  const config = opts.config === DEFAULT_CONFIG_PATH ? "" : ` --config ${opts.config}`;
  return unit.replaceAll(SHIPPED_LINE, `ExecStart=${opts.exec} sync${config}`);
}

/** Writes every unit; returns the written paths. */
export async function installUnits(root: HostRoot, opts: UnitOptions): Promise<string[]> {
  const target = root.resolve("/etc/systemd/system");
  await fsStep(`create ${target}`, () => mkdir(target, { recursive: true }));
  const written: string[] = [];
  for (const name of UNIT_NAMES) {
    const dest = path.join(target, name);
    const text = withExecStart(await unitText(name), opts);
    await fsStep(`install the unit ${dest}`, () => writeFileAtomic(dest, text));
    written.push(dest);
  }
  return written;
}
