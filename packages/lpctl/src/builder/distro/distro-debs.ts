/**
 * The four packages of one Debian kernel build, each resolved at the
 * target's exact version through the builder's own apt state and kept in
 * the cache by sha256 (debian-source.ts), so a kernel the archive later
 * drops still builds from the cache. Extraction pulls single members out
 * of a .deb without installing it or writing its whole payload.
 */
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { DistroPackages } from "../../core/distro-target.js";
import { LpctlError } from "../../core/errors.js";
import {
  resolveDebianSource,
  type DebianSourceDeps,
  type ResolvedDebian,
} from "../source/debian-source.js";
import type { Runner } from "../runtime/runner.js";

export type DistroRole = "headers" | "image" | "dbg" | "source";
export type DistroDebs = Record<DistroRole, ResolvedDebian>;

const ROLES: readonly DistroRole[] = ["headers", "image", "dbg", "source"];

/**
 * Every package at its pinned version, before anything is downloaded: a pin
 * the archive no longer carries fails here (SOURCE_VERSION_UNAVAILABLE).
 */
export async function resolveDistroDebs(
  pkgs: DistroPackages,
  deps: DebianSourceDeps,
): Promise<DistroDebs> {
  const out: Partial<DistroDebs> = {};
  for (const role of ROLES) {
    out[role] = await resolveDebianSource({ package: pkgs[role], version: pkgs.version }, deps);
  }
  return out as DistroDebs;
}

/** `debian:pkg=version@sha256:…` for each package, in a fixed order: the cache key's source. */
export function distroIdentity(debs: DistroDebs): string {
  return ROLES.map(
    (r) => `debian:${debs[r].package}=${debs[r].version}@sha256:${debs[r].sha256}`,
  ).join(" ");
}

async function must(runner: Runner, cmd: string, args: string[], cwd?: string): Promise<string> {
  const r = await runner.run(cmd, args, cwd === undefined ? {} : { cwd });
  if (r.exitCode !== 0) {
    throw new LpctlError(
      "SOURCE_UNAVAILABLE",
      `${cmd} ${args.join(" ")} failed (exit ${r.exitCode}): ${r.stderr.trim().slice(-500)}`,
    );
  }
  return r.stdout;
}

/**
 * Extracts `members` (paths as the .deb's data tarball names them, `./usr/…`)
 * into `dir`: `ar` takes the data tarball out, `tar` only the members asked
 * for, so a 1.7 GB -dbg payload never lands on disk whole.
 */
export async function extractMembers(
  runner: Runner,
  deb: string,
  dir: string,
  members: readonly string[],
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const data = (await must(runner, "ar", ["t", deb]))
    .split("\n")
    .find((m) => m.startsWith("data.tar"));
  if (data === undefined) {
    throw new LpctlError(
      "SOURCE_UNAVAILABLE",
      `${deb} is not a Debian package (no data.tar member)`,
    );
  }
  const scratch = join(dir, ".ar");
  await mkdir(scratch, { recursive: true });
  try {
    await must(runner, "ar", ["x", deb, data], scratch);
    const r = await runner.run("tar", ["-xf", join(scratch, data), "-C", dir, ...members]);
    if (r.exitCode !== 0) {
      throw new LpctlError(
        "SOURCE_UNAVAILABLE",
        `${deb} lacks ${members.join(", ")} (tar exit ${r.exitCode}): ${r.stderr.trim().slice(-300)}`,
      );
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The whole package into `dir` (`dpkg-deb -x`): for the small image and headers packages. */
export async function extractAll(runner: Runner, deb: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await must(runner, "dpkg-deb", ["-x", deb, dir]);
}

/** Every file under `dir` whose name passes `keep`, as paths relative to `dir`. */
export async function findFiles(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}
