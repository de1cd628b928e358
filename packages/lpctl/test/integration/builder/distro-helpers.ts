/**
 * Debian's real packages for linux-image-6.1.0-57-cloud-amd64 6.1.192-3,
 * fetched once into the shared test cache, and doctored copies of them for
 * the bad-input tests, seeded into a scratch cache the way the builder
 * records a downloaded .deb (so it resolves without the archive).
 */
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  debPath,
  obtainDeb,
  resolveDebianSource,
} from "../../../src/builder/source/debian-source.js";
import { execaRunner } from "../../../src/builder/runtime/runner.js";
import { sha256File } from "../../../src/builder/source/sha256-file.js";
import { debianDeps } from "../../../src/builder/source/source.js";
import { CACHE, REPO } from "./helpers.js";

export const TARGET = "debian-12-cloud-amd64";
export const RELEASE = "6.1.0-57-cloud-amd64";
export const VERSION = "6.1.192-3";
export const BUILD_ID = "01d2640d3a13145ee314eb05b155f141b7b7058b";

/** The real .deb of `pkg` at VERSION, from (or fetched into) the shared test cache. */
export async function realDeb(pkg: string): Promise<string> {
  const deps = debianDeps(execaRunner, CACHE);
  return obtainDeb(await resolveDebianSource({ package: pkg, version: VERSION }, deps), deps);
}

async function run(cmd: string, args: string[], cwd?: string): Promise<void> {
  const r = await execaRunner.run(cmd, args, cwd === undefined ? {} : { cwd });
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
}

/** Puts `deb` into `cache` as the downloaded `pkg` `version`, with the record the builder writes. */
export async function seedDeb(
  cache: string,
  pkg: string,
  deb: string,
  version = VERSION,
): Promise<void> {
  const dir = join(cache, "debian");
  mkdirSync(dir, { recursive: true });
  copyFileSync(deb, debPath(dir, pkg, version));
  const record = {
    package: pkg,
    version,
    sha256: await sha256File(deb),
    size: 0,
    filename: "test",
  };
  writeFileSync(join(dir, `${pkg}_${version}.json`), JSON.stringify(record) + "\n");
}

/** A copy of the real headers package with its .config edited by `edit` and the files in `drop` (paths in the package) removed. */
export async function doctoredHeaders(
  edit: (config: string) => string,
  drop: readonly string[] = [],
): Promise<string> {
  return doctored(
    `linux-headers-${RELEASE}`,
    `usr/src/linux-headers-${RELEASE}/.config`,
    edit,
    drop,
  );
}

/** A copy of the real image package with its /boot/config-<release> edited by `edit`. */
export async function doctoredImage(edit: (config: string) => string): Promise<string> {
  // Only /boot matters to what reads the image's config; its 100 MB of modules are dropped (repacking them takes minutes).
  return doctored(`linux-image-${RELEASE}`, `boot/config-${RELEASE}`, edit, ["lib"]);
}

/** The scratch directories of doctored packages (tens of MB each): removeDoctored() deletes them. */
const doctoredDirs: string[] = [];

/** Deletes every doctored package made so far (call from afterAll). */
export function removeDoctored(): void {
  for (const dir of doctoredDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

async function doctored(
  pkg: string,
  configPath: string,
  edit: (config: string) => string,
  drop: readonly string[] = [],
): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), "lpctl-doctored-"));
  doctoredDirs.push(work);
  await run("dpkg-deb", ["-R", await realDeb(pkg), join(work, "pkg")]);
  for (const d of drop) rmSync(join(work, "pkg", d), { recursive: true, force: true });
  const config = join(work, "pkg", configPath);
  writeFileSync(config, edit(readFileSync(config, "utf8")));
  await run("dpkg-deb", ["-b", "-Zgzip", join(work, "pkg"), join(work, "doctored.deb")]);
  rmSync(join(work, "pkg"), { recursive: true, force: true });
  return join(work, "doctored.deb");
}

/** A -dbg package whose vmlinux is a small ELF with another build-id. */
export async function foreignDbg(): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), "lpctl-dbg-"));
  const boot = join(work, "pkg", "usr", "lib", "debug", "boot");
  mkdirSync(boot, { recursive: true });
  mkdirSync(join(work, "pkg", "DEBIAN"));
  writeFileSync(join(work, "t.c"), "int main(void) { return 0; }\n");
  await run("gcc", [
    "-Wl,--build-id=sha1",
    "-o",
    join(boot, `vmlinux-${RELEASE}`),
    join(work, "t.c"),
  ]);
  writeFileSync(
    join(work, "pkg", "DEBIAN", "control"),
    `Package: linux-image-${RELEASE}-dbg\nVersion: ${VERSION}\nArchitecture: amd64\nMaintainer: test <t@example.org>\nDescription: not Debian's\n`,
  );
  await run("dpkg-deb", ["-b", "-Zgzip", join(work, "pkg"), join(work, "dbg.deb")]);
  return join(work, "dbg.deb");
}

/** A scratch repository with the real Debian cloud target and the given patches (id → diff). */
export function distroRepo(patches: Record<string, string> = {}, targetYaml?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "lpctl-repo-"));
  cpSync(join(REPO, "kernels", TARGET), join(dir, "kernels", TARGET), { recursive: true });
  if (targetYaml !== undefined)
    writeFileSync(join(dir, "kernels", TARGET, "target.yaml"), targetYaml);
  for (const [id, diff] of Object.entries(patches)) {
    mkdirSync(join(dir, "patches", id), { recursive: true });
    writeFileSync(
      join(dir, "patches", id, "patch.yaml"),
      `title: ${id}\ndescription: a test patch\nkernels: [${TARGET}]\n`,
    );
    writeFileSync(join(dir, "patches", id, "0001.patch"), diff);
  }
  mkdirSync(join(dir, "patches"), { recursive: true });
  return dir;
}

/** The real target.yaml with `from` replaced by `to`. */
export function targetYamlWith(from: string, to: string): string {
  const yaml = readFileSync(join(REPO, "kernels", TARGET, "target.yaml"), "utf8");
  if (!yaml.includes(from)) throw new Error(`target.yaml has no '${from}'`);
  return yaml.replaceAll(from, to);
}
