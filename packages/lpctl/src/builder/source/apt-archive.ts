/**
 * Debian's archive as apt sees it, through the machine's configured sources
 * but with the builder's own package lists and download cache (under the
 * kernel cache), so resolving and fetching a pinned source package never
 * changes what the system has installed or its apt state. apt checks every
 * download against the archive's signed indexes.
 */
import { mkdir, readdir } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import type { Runner } from "../runtime/runner.js";

export interface DebInfo {
  package: string;
  version: string;
  sha256: string;
  size: number;
  /** The archive's pool path, for messages. */
  filename: string;
}

export interface AptArchive {
  /** Re-reads the package indexes from the configured sources. */
  update(): Promise<void>;
  /** Every version of `pkg` the indexes list (empty when apt has never heard of it). */
  versions(pkg: string): Promise<string[]>;
  /** The index entry for `pkg` at `version`, or undefined when the indexes lack it. */
  show(pkg: string, version: string): Promise<DebInfo | undefined>;
  /** Downloads `pkg=version` into `dir`; returns the .deb's path. */
  download(pkg: string, version: string, dir: string): Promise<string>;
}

/** apt options that keep lists and archives in `stateDir`, sources from the system. */
export function aptOptions(stateDir: string): string[] {
  return [
    "-o",
    `Dir::State::Lists=${join(stateDir, "lists")}`,
    "-o",
    `Dir::Cache=${join(stateDir, "cache")}`,
    // apt's binary caches of those lists, kept beside them. Debian's
    // container images turn them off (/etc/apt/apt.conf.d/docker-clean):
    // then every apt-cache and apt-get call parses all the lists again,
    // ~1 CPU-s each, instead of ~0.03 s (one build after each update).
    "-o",
    "Dir::Cache::pkgcache=pkgcache.bin",
    "-o",
    "Dir::Cache::srcpkgcache=srcpkgcache.bin",
    // apt drops to _apt for downloads; that user cannot write into our cache.
    "-o",
    `APT::Sandbox::User=${userInfo().username}`,
  ];
}

export function aptArchive(runner: Runner, stateDir: string): AptArchive {
  const opts = aptOptions(stateDir);
  const ensureDirs = async (): Promise<void> => {
    await mkdir(join(stateDir, "lists", "partial"), { recursive: true });
    await mkdir(join(stateDir, "cache", "archives", "partial"), { recursive: true });
  };
  const apt = async (cmd: string, args: string[], cwd?: string): Promise<string> => {
    await ensureDirs();
    const r = await runner.run(cmd, [...opts, ...args], cwd ? { cwd } : {});
    if (r.exitCode !== 0) {
      throw new LpctlError(
        "SOURCE_UNAVAILABLE",
        `${cmd} ${args.join(" ")} failed (exit ${r.exitCode}): ${r.stderr.trim().slice(-800)}`,
        { details: { command: [cmd, ...args] } },
      );
    }
    return r.stdout;
  };
  return {
    async update() {
      await apt("apt-get", ["-q", "update"]);
    },
    async versions(pkg) {
      return parseMadison(await apt("apt-cache", ["madison", pkg]), pkg);
    },
    async show(pkg, version) {
      await ensureDirs();
      const r = await runner.run("apt-cache", [...opts, "show", `${pkg}=${version}`]);
      // apt-cache exits 100 with "Version ... was not found" for an unknown version.
      if (r.exitCode !== 0) return undefined;
      return parseShow(r.stdout, pkg, version);
    },
    async download(pkg, version, dir) {
      await apt("apt-get", ["-q", "download", `${pkg}=${version}`], dir);
      const prefix = debFilePrefix(pkg, version);
      const file = (await readdir(dir)).find((f) => f.startsWith(prefix) && f.endsWith(".deb"));
      if (!file) {
        throw new LpctlError(
          "SOURCE_UNAVAILABLE",
          `apt-get download ${pkg}=${version} reported success but wrote no ${prefix}*.deb`,
        );
      }
      return join(dir, file);
    },
  };
}

/** `pkg | version | source` lines; other packages (a `madison` of a virtual one) are ignored. */
export function parseMadison(out: string, pkg: string): string[] {
  const versions = new Set<string>();
  for (const line of out.split("\n")) {
    const [name, version] = line.split("|").map((s) => s.trim());
    if (name === pkg && version) versions.add(version);
  }
  return [...versions];
}

/** The first stanza of `apt-cache show pkg=version`. */
export function parseShow(out: string, pkg: string, version: string): DebInfo | undefined {
  const stanza = out.split(/\n\s*\n/)[0] ?? "";
  const field = (name: string): string | undefined =>
    new RegExp(`^${name}: *(.+)$`, "m").exec(stanza)?.[1]?.trim();
  const sha256 = field("SHA256");
  const size = Number(field("Size"));
  if (field("Version") !== version || !sha256 || !/^[0-9a-f]{64}$/.test(sha256)) return undefined;
  return {
    package: pkg,
    version,
    sha256,
    size: Number.isFinite(size) ? size : 0,
    filename: field("Filename") ?? "",
  };
}

/** apt-get download's file name up to the architecture: the epoch's colon is written %3a. */
export function debFilePrefix(pkg: string, version: string): string {
  return `${pkg}_${version.replace(":", "%3a")}_`;
}
