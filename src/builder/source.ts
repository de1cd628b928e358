/**
 * Getting the exact kernel source a target names: an installed Debian source
 * package (version checked), a tarball (sha256 checked before a single byte
 * is unpacked), or a local tree (copied, never built in place).
 */
import { mkdir, stat, writeFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LpctlError } from "../core/errors.js";
import type { KernelTarget } from "../core/target.js";
import type { Runner } from "./runner.js";
import { sha256File } from "./sha256-file.js";

type Source = KernelTarget["source"];

/** A stable description of the source for the cache key; cheap (no unpacking). */
export async function sourceIdentity(
  runner: Runner,
  source: Source,
  repoDir: string,
): Promise<string> {
  if ("debian" in source) {
    const v = await installedDebianVersion(runner, source.debian.package);
    const pinned = source.debian.version;
    if (pinned !== undefined && pinned !== v) {
      throw new LpctlError(
        "SOURCE_UNAVAILABLE",
        `target pins ${source.debian.package} ${pinned} but ${v} is installed; install the pinned version (apt-get install ${source.debian.package}=${pinned})`,
        { details: { pinned, installed: v } },
      );
    }
    return `debian:${source.debian.package}=${v}`;
  }
  if ("tarball" in source) return `tarball:${source.tarball.sha256}`;
  return `path:${resolve(repoDir, source.path)}`;
}

async function installedDebianVersion(runner: Runner, pkg: string): Promise<string> {
  const r = await runner.run("dpkg-query", ["-W", "-f=${Version}", pkg]);
  const v = r.stdout.trim();
  if (r.exitCode !== 0 || v === "") {
    throw new LpctlError(
      "SOURCE_UNAVAILABLE",
      `Debian package ${pkg} is not installed; run: sudo bash scripts/install-build-deps.sh (or apt-get install ${pkg})`,
    );
  }
  return v;
}

/** Puts the source tree into `tree` (created). `scratch` holds downloads. */
export async function fetchSource(
  runner: Runner,
  source: Source,
  repoDir: string,
  tree: string,
  scratch: string,
): Promise<void> {
  await mkdir(tree, { recursive: true });
  if ("debian" in source) {
    const tarball = `/usr/src/${source.debian.package}.tar.xz`;
    if (!(await exists(tarball))) {
      throw new LpctlError(
        "SOURCE_UNAVAILABLE",
        `${tarball} is missing; reinstall ${source.debian.package}`,
      );
    }
    return unpack(runner, tarball, tree);
  }
  if ("tarball" in source) {
    const local = await localTarball(source.tarball.url, repoDir, scratch);
    const actual = await sha256File(local);
    if (actual !== source.tarball.sha256) {
      throw new LpctlError(
        "SOURCE_DIGEST_MISMATCH",
        `source tarball ${source.tarball.url} has sha256 ${actual}, but the target expects ${source.tarball.sha256}; nothing was unpacked`,
        { details: { expected: source.tarball.sha256, actual } },
      );
    }
    return unpack(runner, local, tree);
  }
  const from = resolve(repoDir, source.path);
  if (!(await exists(join(from, "Makefile")))) {
    throw new LpctlError("SOURCE_UNAVAILABLE", `${from} is not a kernel source tree (no Makefile)`);
  }
  const r = await runner.run("cp", ["-a", "--", `${from}/.`, tree]);
  if (r.exitCode !== 0)
    throw new LpctlError("SOURCE_UNAVAILABLE", `copying ${from} failed: ${r.stderr.trim()}`);
}

/**
 * Runners have no network: file:// URLs and local paths are read in place,
 * and loopback HTTP (a test server or local mirror) is downloaded.
 */
async function localTarball(url: string, repoDir: string, scratch: string): Promise<string> {
  if (url.startsWith("file://")) return fileURLToPath(url);
  if (/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) {
    const res = await fetch(url);
    if (!res.ok) throw new LpctlError("SOURCE_UNAVAILABLE", `GET ${url}: HTTP ${res.status}`);
    await mkdir(scratch, { recursive: true });
    const dest = join(scratch, "source.tar");
    await writeFile(dest, Buffer.from(await res.arrayBuffer()));
    return dest;
  }
  if (!/^[a-z]+:/.test(url)) return isAbsolute(url) ? url : resolve(repoDir, url);
  throw new LpctlError(
    "SOURCE_UNAVAILABLE",
    `cannot fetch ${url}: build runners have no network; use a file:// URL or a loopback mirror`,
  );
}

async function unpack(runner: Runner, tarball: string, tree: string): Promise<void> {
  // tar picks the decompressor; the top-level directory name varies by source.
  const r = await runner.run("tar", ["-xf", tarball, "-C", tree, "--strip-components=1"]);
  if (r.exitCode !== 0) {
    throw new LpctlError(
      "SOURCE_UNAVAILABLE",
      `unpacking ${tarball} failed: ${r.stderr.trim().slice(-500)}`,
    );
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
