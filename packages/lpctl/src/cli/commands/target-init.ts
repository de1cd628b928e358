/**
 * `lpctl target init`: writes kernels/<id>/target.yaml for a Debian binary
 * kernel, from an exact image pin (`--package NAME=VERSION`, on any
 * machine) or from the host it runs on (`--from-host`: the running kernel's
 * release and build-id, and the package dpkg says owns its vmlinuz).
 */
import type { Command } from "commander";
import { readKernelIdentity } from "../../agent/kernel-identity.js";
import { rootFromEnv } from "../../agent/host-root.js";
import { resolveCacheDir } from "../../builder/cache/cache-key.js";
import { installedKernelPackage } from "../../builder/distro/dpkg-owner.js";
import { initDistroTarget, parseImagePin } from "../../builder/distro/target-init.js";
import { execaRunner } from "../../builder/runtime/runner.js";
import { debianDeps } from "../../builder/source/source.js";
import type { ImagePin } from "../../core/distro-target.js";
import { LpctlError } from "../../core/errors.js";
import type { CommandContext } from "../program.js";

interface InitFlags {
  package?: string;
  fromHost?: boolean;
  id?: string;
  repo: string;
  cache?: string;
  root?: string;
  json?: boolean;
}

export function registerTargetInit(target: Command, ctx: CommandContext): void {
  target
    .command("init")
    .description(
      "write kernels/<id>/target.yaml for a Debian kernel, pinned exactly: the one this host runs (--from-host) or an image package (--package NAME=VERSION)",
    )
    .option(
      "--package <name=version>",
      "the image package, e.g. linux-image-6.1.0-57-cloud-amd64=6.1.192-3",
    )
    .option("--from-host", "the kernel this host runs (uname -r, /sys/kernel/notes, dpkg)")
    .option("--id <id>", "target id (default debian-<release>)")
    .option("--repo <dir>", "repository checkout", ".")
    .option(
      "--cache <dir>",
      "cache directory (default $LPCTL_CACHE_DIR or ~/.cache/livepatch-gitops)",
    )
    .option("--root <dir>", "with --from-host: the host's root (default $LPCTL_ROOT or /)")
    .option("--json", "print the result as JSON")
    .action(async (flags: InitFlags) => {
      if ((flags.package === undefined) === (flags.fromHost !== true)) {
        throw new LpctlError(
          "USAGE",
          "target init needs exactly one of --package NAME=VERSION and --from-host",
        );
      }
      const cacheDir = resolveCacheDir(flags.cache, process.env);
      const print = flags.json
        ? (l: string) => ctx.output.err(l)
        : (l: string) => ctx.output.out(l);
      let host: { release: string; buildId: string } | undefined;
      let pin: ImagePin;
      if (flags.package !== undefined) pin = parseImagePin(flags.package);
      else {
        const root = rootFromEnv(flags.root, process.env);
        host = await readKernelIdentity(root);
        print(`this host runs ${host.release}, build-id ${host.buildId}`);
        pin = await installedKernelPackage(
          execaRunner,
          root.resolve("/var/lib/dpkg"),
          host.release,
        );
        print(
          `/boot/vmlinuz-${host.release} belongs to ${pin.debian.package} ${pin.debian.version}`,
        );
      }
      const r = await initDistroTarget(pin, {
        runner: execaRunner,
        debian: debianDeps(execaRunner, cacheDir),
        repoDir: flags.repo,
        scratchDir: cacheDir,
        id: flags.id,
        host,
        print,
      });
      if (flags.json) ctx.output.out(JSON.stringify(r, null, 2));
      else {
        ctx.output.out(
          `wrote ${r.file}: ${r.image.package} ${r.image.version}, release ${r.release}, build-id ${r.buildId}`,
        );
        ctx.output.out(
          `next: lpctl validate, lpctl kernel prepare --target ${r.id}, then commit it and open a pull request`,
        );
      }
    });
}
