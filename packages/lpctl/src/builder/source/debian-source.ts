/**
 * The exact Debian source package a target pins, whatever the runner has
 * installed: its version resolved against the archive's signed indexes, the
 * .deb downloaded once into the cache (sha256 recorded), and the source
 * tarball unpacked out of it. Two targets pinning two versions of one
 * package get two .debs side by side.
 */
import { mkdir, mkdtemp, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { newestDebianVersion } from "../../core/debian-version.js";
import { LpctlError } from "../../core/errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import type { AptArchive, DebInfo } from "./apt-archive.js";
import { acquireLock } from "../cache/lock.js";
import { sha256File } from "./sha256-file.js";

export interface DebianPin {
  package: string;
  version?: string | undefined;
}

export interface ResolvedDebian extends DebInfo {
  /** False when the target named no version and the newest was taken. */
  pinned: boolean;
}

export interface DebianSourceDeps {
  archive: AptArchive;
  /** `<cache>/debian`: .debs, their records, and the apt state. */
  dir: string;
}

const RecordSchema = z.strictObject({
  package: z.string(),
  version: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number(),
  filename: z.string(),
});

const recordPath = (dir: string, pkg: string, version: string): string =>
  join(dir, `${pkg}_${version.replace(":", "%3a")}.json`);
export const debPath = (dir: string, pkg: string, version: string): string =>
  join(dir, `${pkg}_${version.replace(":", "%3a")}.deb`);

/**
 * Which .deb the pin means. A pinned version already downloaded resolves
 * from its record (no apt, works offline); otherwise from the indexes,
 * refreshed once if they lack it. No version: the newest, after a refresh.
 */
export async function resolveDebianSource(
  pin: DebianPin,
  deps: DebianSourceDeps,
): Promise<ResolvedDebian> {
  const { archive } = deps;
  if (pin.version === undefined) {
    await refresh(deps);
    const versions = await archive.versions(pin.package);
    const newest = newestDebianVersion(versions);
    const info = newest === undefined ? undefined : await archive.show(pin.package, newest);
    if (!info) throw versionGone(pin.package, undefined, versions);
    return { ...info, pinned: false };
  }
  const recorded = await readRecord(deps.dir, pin.package, pin.version);
  if (recorded) return { ...recorded, pinned: true };
  let info = await archive.show(pin.package, pin.version);
  if (!info) {
    await refresh(deps);
    info = await archive.show(pin.package, pin.version);
  }
  if (!info) throw versionGone(pin.package, pin.version, await archive.versions(pin.package));
  return { ...info, pinned: true };
}

/** The resolved .deb in the cache, downloaded (and its digest checked) if absent. */
export async function obtainDeb(r: ResolvedDebian, deps: DebianSourceDeps): Promise<string> {
  const path = debPath(deps.dir, r.package, r.version);
  const have = await sha256File(path).catch(() => undefined);
  if (have === r.sha256) return path;
  await mkdir(deps.dir, { recursive: true });
  const tmp = await mkdtemp(join(deps.dir, ".download-"));
  try {
    const downloaded = await deps.archive.download(r.package, r.version, tmp);
    const actual = await sha256File(downloaded);
    if (actual !== r.sha256) {
      throw new LpctlError(
        "SOURCE_DIGEST_MISMATCH",
        `${r.package} ${r.version} downloaded with sha256 ${actual}, but the archive index says ${r.sha256}; nothing was unpacked`,
        { details: { expected: r.sha256, actual } },
      );
    }
    await rename(downloaded, path);
    const record = RecordSchema.parse({
      package: r.package,
      version: r.version,
      sha256: r.sha256,
      size: r.size,
      filename: r.filename,
    });
    await writeFileAtomic(
      recordPath(deps.dir, r.package, r.version),
      JSON.stringify(record) + "\n",
    );
    return path;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The cached .deb of `pkg` at `version` when its record is there and its sha256 matches; no apt, no network. */
export async function cachedDeb(
  dir: string,
  pkg: string,
  version: string,
): Promise<string | undefined> {
  const r = await readRecord(dir, pkg, version);
  const path = debPath(dir, pkg, version);
  return r !== undefined && (await sha256File(path).catch(() => undefined)) === r.sha256
    ? path
    : undefined;
}

async function readRecord(dir: string, pkg: string, version: string): Promise<DebInfo | undefined> {
  try {
    const raw: unknown = JSON.parse(await readFile(recordPath(dir, pkg, version), "utf8"));
    const r = RecordSchema.safeParse(raw);
    if (!r.success || r.data.package !== pkg || r.data.version !== version) return undefined;
    // The record counts only with its .deb beside it.
    return (await stat(debPath(dir, pkg, version))).isFile() ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** One `apt-get update` at a time per cache: apt's own list lock fails instead of waiting. */
async function refresh(deps: DebianSourceDeps): Promise<void> {
  await mkdir(deps.dir, { recursive: true });
  const lock = await acquireLock(join(deps.dir, "apt-update.lock"), undefined, {
    timeoutMs: 10 * 60_000,
  });
  try {
    await deps.archive.update();
  } finally {
    await lock.release();
  }
}

function versionGone(pkg: string, pinned: string | undefined, available: string[]): LpctlError {
  const have =
    available.length > 0
      ? `the configured apt sources have: ${available.join(", ")}`
      : `the configured apt sources do not list ${pkg} at all`;
  const what = pinned === undefined ? `no version of ${pkg}` : `${pkg} ${pinned}`;
  return new LpctlError(
    "SOURCE_VERSION_UNAVAILABLE",
    `the target pins ${what}, which no configured apt source offers (after apt-get update); ${have}. ` +
      `Ways out: add an apt source that still has it (a snapshot or a local mirror) to /etc/apt/sources.list.d/; ` +
      `or point the target's source at the .deb or tarball by file:// path with its sha256 (source.tarball); ` +
      `or move the target to an available version (lpctl target bump <id>)`,
    { details: { package: pkg, pinned: pinned ?? null, available } },
  );
}
