/** Inputs the builder must refuse quickly, before any long kernel build. */
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { loadBuildInputs } from "../../../src/builder/build/build-inputs.js";
import { systemClock } from "../../../src/io/clock.js";
import { prepareKernel } from "../../../src/builder/kernel/prepare.js";
import { execaRunner } from "../../../src/builder/runtime/runner.js";
import { compilerIdentity } from "../../../src/builder/kernel/toolchain.js";
import { runCli } from "../../../src/cli/run.js";
import { CACHE, REPO, tmpTargetRepo } from "./helpers.js";

const print = () => {};
const cacheDir = () => mkdtempSync(join(tmpdir(), "lpctl-cache-"));

describe("bad input", () => {
  it("lpctl build --target nope: TARGET_UNKNOWN, exit 1", async () => {
    const err: string[] = [];
    const code = await runCli(["build", "--target", "nope", "--repo", REPO], {
      out: () => {},
      err: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(err.join("\n")).toMatch(/no kernel target 'nope'.*debian-6\.1-lab/);
    await expect(loadBuildInputs(REPO, "nope")).rejects.toMatchObject({ code: "TARGET_UNKNOWN" });
  });

  it("lpctl build --engine: an unknown engine, or kpatch-build on a distribution kernel, is USAGE before any work", async () => {
    const cache = cacheDir();
    const run = async (target: string, engine: string) => {
      const err: string[] = [];
      const code = await runCli(
        ["build", "--target", target, "--engine", engine, "--repo", REPO, "--cache", cache],
        { out: () => {}, err: (l) => err.push(l) },
      );
      return { code, err: err.join("\n") };
    };
    const bogus = await run("debian-6.1-lab", "klp-build");
    expect(bogus.code).toBe(64);
    expect(bogus.err).toMatch(
      /USAGE: --engine must be one of kpatch-build, per-object, got 'klp-build'/,
    );
    const image = await run("debian-12-cloud-amd64", "kpatch-build");
    expect(image.code).toBe(64);
    expect(image.err).toMatch(
      /USAGE: target debian-12-cloud-amd64 is a distribution's binary kernel.*per-object engine/,
    );
    // Refused before prepare: nothing fetched, nothing cached.
    expect(readdirSync(cache)).toEqual([]);
  });

  it("a tarball with the wrong sha256: SOURCE_DIGEST_MISMATCH, nothing cached", async () => {
    const work = mkdtempSync(join(tmpdir(), "lpctl-tar-"));
    mkdirSync(join(work, "linux"));
    writeFileSync(join(work, "linux", "Makefile"), "# not really a kernel\n");
    const tarball = join(work, "linux.tar");
    const tar = await execaRunner.run("tar", ["-cf", tarball, "-C", work, "linux"]);
    expect(tar.exitCode).toBe(0);
    const wrong = createHash("sha256").update("something else").digest("hex");
    const gcc = await compilerIdentity(execaRunner);
    const repoDir = tmpTargetRepo(
      "tarball-lab",
      `release: 6.1.192\narch: x86_64\nsource:\n  tarball:\n    url: ${pathToFileURL(tarball).href}\n    sha256: ${wrong}\nconfig:\n  base: tinyconfig\ntoolchain: "${gcc}"\n`,
    );
    const { target } = await loadBuildInputs(repoDir, "tarball-lab");
    const cache = cacheDir();
    const err = await prepareKernel(target, {
      runner: execaRunner,
      clock: systemClock,
      print,
      cacheDir: cache,
      repoDir,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "SOURCE_DIGEST_MISMATCH", details: { expected: wrong } });
    expect((err as Error).message).toContain(wrong);
    const kernels = join(cache, "kernels");
    expect(existsSync(kernels) ? readdirSync(kernels) : []).toEqual([]);
  });

  it("an option olddefconfig drops: CONFIG_OPTION_DROPPED before the kernel build", async () => {
    const gcc = await compilerIdentity(execaRunner);
    const repoDir = tmpTargetRepo(
      "dropped-lab",
      `release: 6.1.192\narch: x86_64\nsource:\n  debian:\n    package: linux-source-6.1\nconfig:\n  base: tinyconfig\n  fragment: config.fragment\ntoolchain: "${gcc}"\n`,
      "CONFIG_MODULES=y\nCONFIG_NOT_A_REAL_OPTION=y\n# LIVEPATCH depends on things tinyconfig lacks\nCONFIG_LIVEPATCH=y\n",
    );
    const { target } = await loadBuildInputs(repoDir, "dropped-lab");
    const cache = cacheDir();
    // The unpinned source resolves to the newest .deb; share the test cache's downloads.
    mkdirSync(join(CACHE, "debian"), { recursive: true });
    symlinkSync(join(CACHE, "debian"), join(cache, "debian"));
    const lines: string[] = [];
    const err = await prepareKernel(target, {
      runner: execaRunner,
      clock: systemClock,
      print: (l) => lines.push(l),
      cacheDir: cache,
      repoDir,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "CONFIG_OPTION_DROPPED" });
    expect((err as Error).message).toContain("CONFIG_NOT_A_REAL_OPTION (wanted y, got unset)");
    expect((err as Error).message).toContain("CONFIG_LIVEPATCH");
    expect(lines.join("\n")).not.toContain("build kernel");
    expect(readdirSync(join(cache, "kernels"))).toEqual([]);
  });

  it("a loopback HTTP tarball with the wrong sha256: SOURCE_DIGEST_MISMATCH", async () => {
    const body = Buffer.from("not a kernel tarball");
    const server = createServer((_req, res) => res.end(body));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const wrong = "0".repeat(64);
      const gcc = await compilerIdentity(execaRunner);
      const repoDir = tmpTargetRepo(
        "http-lab",
        `release: 6.1.192\narch: x86_64\nsource:\n  tarball:\n    url: http://127.0.0.1:${port}/linux.tar\n    sha256: "${wrong}"\nconfig:\n  base: tinyconfig\ntoolchain: "${gcc}"\n`,
      );
      const { target } = await loadBuildInputs(repoDir, "http-lab");
      const actual = createHash("sha256").update(body).digest("hex");
      await expect(
        prepareKernel(target, {
          runner: execaRunner,
          clock: systemClock,
          print,
          cacheDir: cacheDir(),
          repoDir,
        }),
      ).rejects.toMatchObject({
        code: "SOURCE_DIGEST_MISMATCH",
        details: { expected: wrong, actual },
      });
    } finally {
      server.close();
    }
  });

  it("a path source that is not a kernel tree: SOURCE_UNAVAILABLE", async () => {
    const gcc = await compilerIdentity(execaRunner);
    const empty = mkdtempSync(join(tmpdir(), "lpctl-notree-"));
    const repoDir = tmpTargetRepo(
      "path-lab",
      `release: 6.1.192\narch: x86_64\nsource:\n  path: ${empty}\nconfig:\n  base: tinyconfig\ntoolchain: "${gcc}"\n`,
    );
    const { target } = await loadBuildInputs(repoDir, "path-lab");
    await expect(
      prepareKernel(target, {
        runner: execaRunner,
        clock: systemClock,
        print,
        cacheDir: cacheDir(),
        repoDir,
      }),
    ).rejects.toMatchObject({
      code: "SOURCE_UNAVAILABLE",
      message: expect.stringContaining("not a kernel source tree") as unknown,
    });
  });
});
