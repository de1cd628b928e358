/** The GNU build-id of a vmlinux: the identity hosts read from /sys/kernel/notes. */
import { LpctlError } from "../../core/errors.js";
import type { Runner } from "../runtime/runner.js";

/** The `Build ID:` value from `readelf -n` output (GNU or elfutils wording). */
export function parseBuildId(readelfNotes: string): string | undefined {
  const m = /Build ID:\s*([0-9a-fA-F]+)/.exec(readelfNotes);
  return m?.[1]?.toLowerCase();
}

export async function readBuildId(runner: Runner, vmlinux: string): Promise<string> {
  const r = await runner.run("readelf", ["-n", vmlinux]);
  const id = r.exitCode === 0 ? parseBuildId(r.stdout) : undefined;
  if (!id) {
    throw new LpctlError(
      "KERNEL_BUILD_FAILED",
      `no GNU build-id note in ${vmlinux} (readelf -n exit ${r.exitCode})`,
    );
  }
  return id;
}
