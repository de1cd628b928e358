import { basename } from "node:path";
import { execa } from "execa";

/** The name the kernel gives a module file: its base name without .ko, with `-` as `_`. */
export function moduleNameFromFile(file: string): string {
  return basename(file).replace(/\.ko$/, "").replace(/-/g, "_");
}

/**
 * The module's real name (`modinfo -F name`), which is what appears under
 * /sys/kernel/livepatch; falls back to the file name when modinfo cannot read
 * it (a renamed or broken file: insmod will then report the real problem).
 */
export async function moduleNameOf(file: string): Promise<string> {
  try {
    const { stdout } = await execa("modinfo", ["-F", "name", file]);
    const name = stdout.trim();
    if (/^[A-Za-z0-9_]+$/.test(name)) return name;
  } catch {
    // fall through to the file name
  }
  return moduleNameFromFile(file);
}
