/**
 * Whether this machine can run jobs in the sandbox (sandbox-args.ts): the
 * overlays need root in the initial user namespace, and the tools are
 * bubblewrap and util-linux's unshare. Checked once when the forge starts,
 * so a runner that cannot isolate jobs refuses to run any.
 */
import { execa } from "execa";
import { ForgeError } from "../errors.js";

export async function checkSandbox(uid = process.getuid?.()): Promise<void> {
  const why: string[] = [];
  if (uid !== 0) why.push("it must run as root (the copy-on-write overlays are mounted as root)");
  for (const tool of ["bwrap", "unshare"]) {
    const r = await execa(tool, ["--version"], { reject: false });
    if (r.exitCode !== 0)
      why.push(`'${tool}' is not on PATH (scripts/install-build-deps.sh installs it)`);
  }
  if (why.length > 0) {
    throw new ForgeError(
      "FORGE_SANDBOX_UNAVAILABLE",
      `--actions runs every job in a sandbox, and this machine cannot: ${why.join("; ")}`,
    );
  }
}
