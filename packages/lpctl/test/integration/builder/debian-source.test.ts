/**
 * The exact Debian source, for real: apt resolves versions against the
 * archive's signed indexes and downloads two pinned versions of
 * linux-source-6.1 side by side into a fresh cache; two targets pinning
 * them unpack, configure and reach the kernel build in two distinct cache
 * entries (the build itself is covered by prepare-build.test.ts).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBuildInputs } from "../../../src/builder/build/build-inputs.js";
import { systemClock } from "../../../src/io/clock.js";
import { newestDebianVersion, compareDebianVersions } from "../../../src/core/debian-version.js";
import { kernelVersionFromMakefile } from "../../../src/core/kernel-version.js";
import { prepareKernel } from "../../../src/builder/kernel/prepare.js";
import { execaRunner, type Runner } from "../../../src/builder/runtime/runner.js";
import { debianDeps } from "../../../src/builder/source/source.js";
import { resolveDebianSource } from "../../../src/builder/source/debian-source.js";
import { sha256File } from "../../../src/builder/source/sha256-file.js";
import { ASCENDING } from "../../fixtures/debian/versions.js";
import { tmpTargetRepo } from "./helpers.js";

const PKG = "linux-source-6.1";
const cache = mkdtempSync(join(tmpdir(), "lpctl-debsrc-"));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

class StopBeforeBuild extends Error {}

/**
 * The real runner, except that the long kernel build itself is stopped;
 * the tree it was about to build is recorded with the version its Makefile
 * declares (the source really was unpacked and configured).
 */
function stopAtKernelBuild(trees: { tree: string; version: string | undefined }[]): Runner {
  return {
    run(cmd, args, opts) {
      if (cmd === "make" && args.includes("bzImage")) {
        const tree = args[args.indexOf("-C") + 1] ?? "";
        const makefile = readFileSync(join(tree, "Makefile"), "utf8");
        trees.push({ tree, version: kernelVersionFromMakefile(makefile) });
        return Promise.reject(new StopBeforeBuild("stopped before the kernel build"));
      }
      return execaRunner.run(cmd, args, opts);
    },
  };
}

describe("Debian source packages from the archive", () => {
  it("orders versions as dpkg does", () => {
    for (const [a, b] of ASCENDING) {
      expect(() => execFileSync("dpkg", ["--compare-versions", a, "lt", b])).not.toThrow();
      expect(compareDebianVersions(a, b)).toBeLessThan(0);
    }
  });

  it("two targets pinning two versions prepare side by side from .debs apt downloaded", async () => {
    const deps = debianDeps(execaRunner, cache);
    // The two newest versions the archive has today (it moves on; nothing hard-coded).
    await deps.archive.update();
    const available = await deps.archive.versions(PKG);
    expect(available.length).toBeGreaterThanOrEqual(2);
    // apt kept its binary cache of the builder's lists, which the next call
    // reads instead of every list (even where the system turns it off).
    expect(existsSync(join(deps.dir, "apt", "cache", "pkgcache.bin"))).toBe(true);
    const newest = newestDebianVersion(available) ?? "";
    const older = newestDebianVersion(available.filter((v) => v !== newest)) ?? "";

    const gcc = execFileSync("gcc", ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "";
    const repoFor = (id: string, version: string) =>
      tmpTargetRepo(
        id,
        `release: ${version.split("-")[0] ?? ""}\narch: x86_64\nsource:\n  debian:\n    package: ${PKG}\n    version: "${version}"\nconfig:\n  base: tinyconfig\ntoolchain: "${gcc}"\n`,
      );
    const trees: { tree: string; version: string | undefined }[] = [];
    const lines: string[] = [];
    const prepare = async (id: string, version: string) => {
      const repoDir = repoFor(id, version);
      const { target } = await loadBuildInputs(repoDir, id);
      return prepareKernel(target, {
        runner: stopAtKernelBuild(trees),
        clock: systemClock,
        print: (l) => lines.push(`${id}: ${l}`),
        cacheDir: cache,
        repoDir,
      }).catch((e: unknown) => e);
    };
    const results = await Promise.all([prepare("older", older), prepare("newer", newest)]);
    for (const r of results) expect(r).toBeInstanceOf(StopBeforeBuild);

    // Two cache entries reached the kernel build, each with its version's unpacked tree.
    expect(new Set(trees.map((t) => t.tree)).size).toBe(2);
    for (const t of trees) expect(t.version).toMatch(/^6\.1\.\d+$/);
    expect(trees.map((t) => t.version).sort()).toEqual(
      [older, newest].map((v) => v.split("-")[0]).sort(),
    );
    const log = lines.join("\n");
    for (const v of [older, newest]) expect(log).toContain(`debian:${PKG}=${v}@sha256:`);
    // Each .deb is in the cache under its version, with the digest the signed index gave.
    for (const v of [older, newest]) {
      const r = await resolveDebianSource({ package: PKG, version: v }, deps);
      const deb = join(cache, "debian", `${PKG}_${v}.deb`);
      expect(await sha256File(deb)).toBe(r.sha256);
      expect(execFileSync("dpkg-deb", ["-f", deb, "Version"], { encoding: "utf8" }).trim()).toBe(v);
    }
    // The failed prepares left no half entry behind.
    for (const t of trees) expect(existsSync(t.tree)).toBe(false);
  });
});
