/**
 * Getting the exact kernel source a target names: a Debian source package
 * at its pinned version (downloaded into the cache with apt, never taken
 * from what is installed), a tarball or .deb (sha256 checked before a single
 * byte is unpacked), or a local tree (copied, never built in place).
 */
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LpctlError } from "../../core/errors.js";
import type { KernelTarget } from "../../core/target.js";
import { aptArchive } from "./apt-archive.js";
import {
  obtainDeb,
  resolveDebianSource,
  type DebianSourceDeps,
  type ResolvedDebian,
} from "./debian-source.js";
import type { Runner } from "../runtime/runner.js";
import { sha256File } from "./sha256-file.js";

type Source = KernelTarget["source"];

export interface ResolvedSource {
  /** Stable description for the cache key and prepared.json. */
  identity: string;
  /** The Debian package version and .deb digest a `debian` source resolved to. */
  debian?: ResolvedDebian;
}

/** The Debian part of the cache: .debs, their records and apt's private state. */
export function debianDeps(runner: Runner, cacheDir: string): DebianSourceDeps {
  const dir = join(cacheDir, "debian");
  return { dir, archive: aptArchive(runner, join(dir, "apt")) };
}

/** Which exact source the target means; cheap (no unpacking, a .deb digest at most). */
export async function resolveSource(
  source: Source,
  repoDir: string,
  debian: DebianSourceDeps,
): Promise<ResolvedSource> {
  if ("debian" in source) {
    const r = await resolveDebianSource(source.debian, debian);
    return { identity: `debian:${r.package}=${r.version}@sha256:${r.sha256}`, debian: r };
  }
  if ("tarball" in source) return { identity: `tarball:${source.tarball.sha256}` };
  return { identity: `path:${resolve(repoDir, source.path)}` };
}

/** Puts the resolved source tree into `tree` (created). `scratch` holds downloads. */
export async function fetchSource(
  runner: Runner,
  source: Source,
  resolved: ResolvedSource,
  o: { repoDir: string; tree: string; scratch: string; debian: DebianSourceDeps },
): Promise<void> {
  await mkdir(o.tree, { recursive: true });
  if (resolved.debian) {
    const deb = await obtainDeb(resolved.debian, o.debian);
    return unpackDeb(runner, deb, o.tree, o.scratch);
  }
  if ("tarball" in source) {
    const local = await localTarball(source.tarball.url, o.repoDir, o.scratch);
    const actual = await sha256File(local);
    if (actual !== source.tarball.sha256) {
      throw new LpctlError(
        "SOURCE_DIGEST_MISMATCH",
        `source tarball ${source.tarball.url} has sha256 ${actual}, but the target expects ${source.tarball.sha256}; nothing was unpacked`,
        { details: { expected: source.tarball.sha256, actual } },
      );
    }
    if (local.endsWith(".deb")) return unpackDeb(runner, local, o.tree, o.scratch);
    return unpack(runner, local, o.tree);
  }
  if (!("path" in source)) throw new LpctlError("SOURCE_UNAVAILABLE", "unknown source kind");
  const from = resolve(o.repoDir, source.path);
  if (!(await exists(join(from, "Makefile")))) {
    throw new LpctlError("SOURCE_UNAVAILABLE", `${from} is not a kernel source tree (no Makefile)`);
  }
  const r = await runner.run("cp", ["-a", "--", `${from}/.`, o.tree]);
  if (r.exitCode !== 0)
    throw new LpctlError("SOURCE_UNAVAILABLE", `copying ${from} failed: ${r.stderr.trim()}`);
}

/** A Debian kernel source package carries one tarball under usr/src/. */
export async function unpackDeb(
  runner: Runner,
  deb: string,
  tree: string,
  scratch: string,
): Promise<void> {
  const into = join(scratch, "deb");
  await mkdir(into, { recursive: true });
  await mkdir(tree, { recursive: true });
  try {
    const x = await runner.run("dpkg-deb", ["-x", deb, into]);
    if (x.exitCode !== 0) {
      throw new LpctlError(
        "SOURCE_UNAVAILABLE",
        `dpkg-deb -x ${deb} failed: ${x.stderr.trim().slice(-500)}`,
      );
    }
    const src = join(into, "usr", "src");
    const tarballs = (await readdir(src).catch(() => [])).filter((f) => /\.tar(\.\w+)?$/.test(f));
    if (tarballs.length !== 1) {
      throw new LpctlError(
        "SOURCE_UNAVAILABLE",
        `${deb} is not a kernel source package: expected one tarball in usr/src/, found ${tarballs.length}`,
      );
    }
    await unpack(runner, join(src, tarballs[0] ?? ""), tree);
  } finally {
    await rm(into, { recursive: true, force: true });
  }
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
    const dest = join(scratch, url.endsWith(".deb") ? "source.deb" : "source.tar");
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
