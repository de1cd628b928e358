/**
 * Installs lpctl-sync.service and lpctl-sync.timer into
 * <root>/etc/systemd/system, with ExecStart pointing at the lpctl binary.
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { LpctlError } from "../core/errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { fsStep } from "../io/fs-errors.js";
import type { HostRoot } from "./host-root.js";

export const UNIT_NAMES = ["lpctl-sync.service", "lpctl-sync.timer"] as const;
const DEFAULT_EXEC = "/usr/local/bin/lpctl";

/** Unit text with the ExecStart binary replaced by `exec`. */
export function withExecStart(unit: string, exec: string): string {
  if (!path.isAbsolute(exec) || /\s/.test(exec)) {
    throw new LpctlError("USAGE", `--exec must be an absolute path without spaces, got '${exec}'`);
  }
  return unit.replaceAll(`ExecStart=${DEFAULT_EXEC} `, `ExecStart=${exec} `);
}

/** Writes the units from `unitsDir`; returns the written paths. */
export async function installUnits(
  root: HostRoot,
  unitsDir: string,
  exec: string = DEFAULT_EXEC,
): Promise<string[]> {
  const target = root.resolve("/etc/systemd/system");
  await fsStep(`create ${target}`, () => mkdir(target, { recursive: true }));
  const written: string[] = [];
  for (const name of UNIT_NAMES) {
    const source = path.join(unitsDir, name);
    const text = await fsStep(`read the unit ${source}`, () => readFile(source, "utf8"));
    const dest = path.join(target, name);
    await fsStep(`install the unit ${dest}`, () =>
      writeFileAtomic(dest, withExecStart(text, exec)),
    );
    written.push(dest);
  }
  return written;
}
