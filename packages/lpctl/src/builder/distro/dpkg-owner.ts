/**
 * Which Debian package a host's running kernel came from: dpkg's own
 * database says who owns `/boot/vmlinuz-<release>` and at which version.
 * The database is read with dpkg-query at an explicit admin directory, so
 * tests point it at a constructed one and a host at `<root>/var/lib/dpkg`.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import type { ImagePin } from "../../core/distro-target.js";
import type { Runner } from "../runtime/runner.js";

/** The package owning `/boot/vmlinuz-<release>` in the dpkg database at `admindir`, and its installed version. */
export async function installedKernelPackage(
  runner: Runner,
  admindir: string,
  release: string,
): Promise<ImagePin> {
  const vmlinuz = `/boot/vmlinuz-${release}`;
  const notPackaged = (why: string): LpctlError =>
    new LpctlError(
      "KERNEL_NOT_PACKAGED",
      `the running kernel ${release} is not a Debian package: ${why}. ` +
        `lpctl target init --from-host registers Debian's own kernels (linux-image-<release>); ` +
        `for a kernel built elsewhere write kernels/<id>/target.yaml by hand (docs/target-yaml.md)`,
      { details: { release, admindir } },
    );
  const isDb = await stat(join(admindir, "status")).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isDb) throw notPackaged(`there is no dpkg database at ${admindir} (not a Debian host?)`);
  const admin = `--admindir=${admindir}`;
  const owner = await runner.run("dpkg-query", [admin, "-S", vmlinuz]);
  const owners = owner.exitCode === 0 ? ownersOf(owner.stdout, vmlinuz) : [];
  if (owners.length !== 1) {
    throw notPackaged(
      owners.length === 0
        ? `no installed package owns ${vmlinuz} (dpkg-query -S)`
        : `${vmlinuz} is owned by several packages: ${owners.join(", ")}`,
    );
  }
  const pkg = owners[0] ?? "";
  if (pkg !== `linux-image-${release}`) {
    throw notPackaged(
      `${vmlinuz} belongs to ${pkg}, not to Debian's linux-image-${release}, whose headers, -dbg and source packages a target needs`,
    );
  }
  const v = await runner.run("dpkg-query", [
    admin,
    "-W",
    "-f=${Version}\\n${db:Status-Abbrev}",
    pkg,
  ]);
  const [version, status] = v.stdout.split("\n").map((s) => s.trim());
  if (v.exitCode !== 0 || !version || !status?.startsWith("ii")) {
    throw notPackaged(
      `dpkg-query -W ${pkg} finds no installed version (${v.stderr.trim() || status})`,
    );
  }
  return { debian: { package: pkg, version } };
}

/** `pkg[:arch][, pkg2]: path` lines of `dpkg-query -S` naming exactly `path`. */
function ownersOf(out: string, path: string): string[] {
  const owners = new Set<string>();
  for (const line of out.split("\n")) {
    if (!line.endsWith(`: ${path}`) || line.startsWith("diversion ")) continue;
    for (const name of line.slice(0, -`: ${path}`.length).split(", ")) {
      owners.add(name.replace(/:[a-z0-9-]+$/, ""));
    }
  }
  return [...owners];
}
