/**
 * `lpctl target init`: registers a Debian binary kernel as a target, the way
 * the elivepatch client sent its host's config. From an exact image pin (or
 * the pin a host's dpkg database names) it checks that the archive still has
 * all four packages of that build, reads the release, compiler and build-id
 * out of the image itself, refuses kernels this engine cannot patch, and
 * only then writes `kernels/<id>/target.yaml`, checked by the same rules as
 * `lpctl validate`. Any failure leaves the repository as it was.
 */
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  defaultDistroTargetId,
  distroPackages,
  linuxSourcePackage,
  type ImagePin,
} from "../../core/distro-target.js";
import { distroTargetYaml, type DistroTargetFacts } from "../../core/distro-target-yaml.js";
import { isLpctlError, LpctlError } from "../../core/errors.js";
import { idProblem } from "../../core/ids.js";
import { checkTargetDir } from "../../core/repo-targets.js";
import type { Problem } from "../../core/problem.js";
import { TargetImageSchema } from "../../core/target.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { obtainDeb, resolveDebianSource, type DebianSourceDeps } from "../source/debian-source.js";
import type { Runner } from "../runtime/runner.js";
import { resolveDistroDebs, type DistroDebs } from "./distro-debs.js";
import { readImageFacts } from "./image-facts.js";

export interface InitOptions {
  runner: Runner;
  debian: DebianSourceDeps;
  repoDir: string;
  /** Where the image is unpacked for reading (a temp directory is made inside). */
  scratchDir: string;
  /** Target id; default `debian-<release>`. */
  id?: string | undefined;
  /** The running kernel when registering a host: its build-id must be the image's. */
  host?: { release: string; buildId: string } | undefined;
  print: (line: string) => void;
}

export interface InitResult extends DistroTargetFacts {
  id: string;
  /** Repository-relative path of the written file. */
  file: string;
}

/** Parses `NAME=VERSION` of `--package` into an image pin (USAGE when it is not one). */
export function parseImagePin(arg: string): ImagePin {
  const eq = arg.indexOf("=");
  const pin = { debian: { package: arg.slice(0, eq), version: arg.slice(eq + 1) } };
  const parsed = eq > 0 ? TargetImageSchema.safeParse(pin) : undefined;
  if (!parsed?.success) {
    const why = parsed?.error.issues
      .map((i) => `${String(i.path.at(-1) ?? "")} ${i.message}`)
      .join("; ");
    throw new LpctlError(
      "USAGE",
      `--package '${arg}' must be NAME=VERSION of a Debian kernel image, e.g. linux-image-6.1.0-57-cloud-amd64=6.1.192-3` +
        (why ? ` (${why})` : ""),
    );
  }
  return parsed.data;
}

export async function initDistroTarget(pin: ImagePin, o: InitOptions): Promise<InitResult> {
  const sourcePackage = linuxSourcePackage(pin.debian.version);
  if (sourcePackage === undefined) {
    throw new LpctlError(
      "USAGE",
      `${pin.debian.version} is not a Debian kernel version (X.Y.Z-N): cannot tell which linux-source-X.Y built it`,
    );
  }
  const pkgs = distroPackages(pin, sourcePackage);
  if (o.host !== undefined && o.host.release !== pkgs.release) {
    throw new LpctlError(
      "KERNEL_NOT_PACKAGED",
      `the host runs ${o.host.release}, but ${pkgs.image} is release ${pkgs.release}`,
    );
  }
  const id = o.id ?? defaultDistroTargetId(pkgs.release);
  const file = `kernels/${id}/target.yaml`;
  const bad = idProblem(id);
  if (bad !== undefined)
    throw new LpctlError("USAGE", `target id ${bad}; choose another with --id`);
  await refuseExisting(o.repoDir, id);

  o.print(
    `checking the archive for ${pkgs.image}, its headers, -dbg and ${sourcePackage} at ${pkgs.version}`,
  );
  const debs = await resolveAll(pkgs.version, async () => {
    // The image first, so a host's dropped kernel is named as such.
    await resolveDebianSource({ package: pkgs.image, version: pkgs.version }, o.debian);
    return resolveDistroDebs(pkgs, o.debian);
  });
  o.print(`reading ${pkgs.image} ${pkgs.version} (${Math.round(debs.image.size / 1e6)} MB)`);
  const deb = await obtainDeb(debs.image, o.debian);
  await mkdir(o.scratchDir, { recursive: true });
  const scratch = await mkdtemp(join(o.scratchDir, ".target-init-"));
  const image = await readImageFacts(o.runner, deb, pkgs, scratch);
  if (o.host !== undefined && o.host.buildId !== image.buildId) {
    throw new LpctlError(
      "KERNEL_BUILD_ID_MISMATCH",
      `this host runs ${o.host.release} with build-id ${o.host.buildId} (/sys/kernel/notes), but the vmlinuz of ` +
        `${pkgs.image} ${pkgs.version} has ${image.buildId}: the running kernel is not the installed package's ` +
        `(reinstalled or upgraded without a reboot, or built elsewhere), so no target would cover it. Reboot into the ` +
        `installed kernel and run it again (--package ${pkgs.image}=${pkgs.version} registers that package for the hosts that do run it)`,
      { details: { host: o.host.buildId, image: image.buildId } },
    );
  }
  const facts: DistroTargetFacts = {
    release: image.release,
    image: { package: pkgs.image, version: pkgs.version },
    sourcePackage,
    toolchain: image.compiler,
    buildId: image.buildId,
    summary: image.summary,
  };
  const text = distroTargetYaml(facts);
  mustValidate(id, text);
  await writeTarget(o.repoDir, id, text);
  return { ...facts, id, file };
}

/** A pin the archive dropped: say which package and version, and what keeps such kernels registrable. */
async function resolveAll(
  version: string,
  resolve: () => Promise<DistroDebs>,
): Promise<DistroDebs> {
  try {
    return await resolve();
  } catch (e) {
    if (!isLpctlError(e, "SOURCE_VERSION_UNAVAILABLE")) throw e;
    const { package: pkg, available } = e.details as { package: string; available: string[] };
    const have =
      available.length > 0
        ? `the configured apt sources have ${available.join(", ")}`
        : `the configured apt sources do not list ${pkg} at all`;
    throw new LpctlError(
      "SOURCE_VERSION_UNAVAILABLE",
      `cannot register this kernel: ${pkg} ${version} is not in the archive any more (${have}). ` +
        `A target needs the image, headers, -dbg and source packages of one build at one version. ` +
        `Register kernels while the archive has them, keep the lpctl cache that fetched them (it keeps every .deb ` +
        `by sha256 and resolves them offline) or a mirror of the archive as an apt source (docs/operating-hosts.md, ` +
        `"When Debian moves on"), or move the host to a kernel the archive still has`,
      { cause: e, details: { package: pkg, version } },
    );
  }
}

async function refuseExisting(repoDir: string, id: string): Promise<void> {
  const dir = join(repoDir, "kernels", id);
  if (
    await stat(dir).then(
      () => true,
      () => false,
    )
  )
    throw exists(id);
}

const exists = (id: string): LpctlError =>
  new LpctlError(
    "TARGET_EXISTS",
    `kernels/${id} already exists; target init never overwrites a target. Choose another id with --id, ` +
      `or remove kernels/${id} first if it is really to be replaced`,
    { details: { id } },
  );

/** The text must pass the rules `lpctl validate` applies, or nothing is written. */
function mustValidate(id: string, text: string): void {
  const dir = `kernels/${id}`;
  const problems: Problem[] = [];
  const entry = { path: `${dir}/target.yaml`, kind: "file" as const, size: text.length, text };
  checkTargetDir({ id, dir, files: new Map([["target.yaml", entry]]) }, problems);
  if (problems.length > 0) {
    throw new LpctlError(
      "INTERNAL",
      `target init produced a target.yaml that does not validate: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
    );
  }
}

/** mkdir of kernels/<id> is the last existence check; a failed write removes the directory again. */
async function writeTarget(repoDir: string, id: string, text: string): Promise<void> {
  const kernels = join(repoDir, "kernels");
  const dir = join(kernels, id);
  await mkdir(kernels, { recursive: true });
  try {
    await mkdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") throw exists(id);
    throw e;
  }
  try {
    await writeFileAtomic(join(dir, "target.yaml"), text);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
