/**
 * A Debian binary kernel target the builder must refuse before any long
 * work (no source unpacked, no -dbg DWARF read), leaving nothing in the
 * cache's kernels/ directory: each through prepareKernel, as `lpctl build`
 * and `lpctl kernel prepare` call it, with Debian's real packages or
 * doctored copies of them.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBuildInputs } from "../../../src/builder/build/build-inputs.js";
import { systemClock } from "../../../src/io/clock.js";
import { prepareKernel } from "../../../src/builder/kernel/prepare.js";
import { execaRunner } from "../../../src/builder/runtime/runner.js";
import {
  distroRepo,
  doctoredHeaders,
  foreignDbg,
  realDeb,
  RELEASE,
  removeDoctored,
  seedDeb,
  TARGET,
  targetYamlWith,
} from "./distro-helpers.js";

async function prepare(repoDir: string, cacheDir: string): Promise<unknown> {
  const { target } = await loadBuildInputs(repoDir, TARGET);
  const ran: string[] = [];
  const err: unknown = await prepareKernel(target, {
    runner: {
      run: (cmd, args, opts) => {
        ran.push([cmd, ...args].join(" "));
        return execaRunner.run(cmd, args, opts);
      },
    },
    clock: systemClock,
    print: () => {},
    cacheDir,
    repoDir,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  // Refused before the long work: no source unpacked (30 s+), no configure or
  // modules_prepare (what ran, not how long it took: a busy machine is slow).
  // (Resolving the source's pin with apt-cache is fine: it is the unpack that costs.)
  expect(ran.filter((c) => /^(tar|dpkg-deb) .*linux-source|^make /.test(c))).toEqual([]);
  return err;
}

/** What a refused prepare left in kernels/ (absent when refused before it was made): nothing but lock files. */
const leftovers = (cache: string): string[] =>
  existsSync(join(cache, "kernels"))
    ? readdirSync(join(cache, "kernels"), { withFileTypes: true })
        .filter((e) => !e.name.endsWith(".lock"))
        .map((e) => e.name)
    : [];

const scratch: string[] = [];
// Each holds copies of Debian's packages (tens of MB): removed when done.
const scratchCache = () => {
  const dir = mkdtempSync(join(tmpdir(), "lpctl-distro-cache-"));
  scratch.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  removeDoctored();
});

describe("Debian binary kernel targets: bad input", () => {
  it("a pin the archive no longer carries: SOURCE_VERSION_UNAVAILABLE naming what it has", async () => {
    const repo = distroRepo({}, targetYamlWith("6.1.192-3", "6.1.192-9"));
    const cache = scratchCache();
    const err = await prepare(repo, cache);
    expect(err).toMatchObject({ code: "SOURCE_VERSION_UNAVAILABLE" });
    expect((err as Error).message).toMatch(
      new RegExp(`linux-headers-${RELEASE} 6\\.1\\.192-9.*have: .*6\\.1\\.192-3.*snapshot`),
    );
    expect(leftovers(cache)).toEqual([]);
  }, 300_000);

  it("a -dbg whose vmlinux has another build-id than the image: KERNEL_BUILD_ID_MISMATCH, nothing cached", async () => {
    const cache = scratchCache();
    await seedDeb(cache, `linux-headers-${RELEASE}`, await realDeb(`linux-headers-${RELEASE}`));
    await seedDeb(cache, `linux-image-${RELEASE}`, await realDeb(`linux-image-${RELEASE}`));
    await seedDeb(cache, `linux-image-${RELEASE}-dbg`, await foreignDbg());
    const err = await prepare(distroRepo(), cache);
    expect(err).toMatchObject({ code: "KERNEL_BUILD_ID_MISMATCH" });
    expect((err as Error).message).toMatch(
      /-dbg 6\.1\.192-3's vmlinux has build-id [0-9a-f]+, but the image's vmlinuz has 01d2640d/,
    );
    expect(leftovers(cache)).toEqual([]);
  }, 300_000);

  it("an IBT kernel: KERNEL_UNPATCHABLE naming klp-build, before the large packages", async () => {
    const cache = scratchCache();
    const ibt = await doctoredHeaders((c) =>
      c.replace("# CONFIG_X86_KERNEL_IBT is not set", "CONFIG_X86_KERNEL_IBT=y"),
    );
    await seedDeb(cache, `linux-headers-${RELEASE}`, ibt);
    const err = await prepare(distroRepo(), cache);
    expect(err).toMatchObject({ code: "KERNEL_UNPATCHABLE" });
    expect((err as Error).message).toMatch(/CONFIG_X86_KERNEL_IBT=y.*klp-build.*6\.19/);
    // Neither the image, the -dbg nor the source was downloaded.
    expect(readdirSync(join(cache, "debian")).filter((f) => f.endsWith(".deb"))).toEqual([
      `linux-headers-${RELEASE}_6.1.192-3.deb`,
    ]);
    expect(leftovers(cache)).toEqual([]);
  }, 300_000);

  it("a kernel built by another compiler than the runner's: TOOLCHAIN_MISMATCH naming the package", async () => {
    const cache = scratchCache();
    const other = "gcc-12 (Debian 12.2.0-14+deb12u9) 12.2.0";
    await seedDeb(
      cache,
      `linux-headers-${RELEASE}`,
      await doctoredHeaders((c) =>
        c.replace(/^CONFIG_CC_VERSION_TEXT=.*$/m, `CONFIG_CC_VERSION_TEXT="${other}"`),
      ),
    );
    const repo = distroRepo({}, targetYamlWith("gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0", other));
    const err = await prepare(repo, cache);
    expect(err).toMatchObject({ code: "TOOLCHAIN_MISMATCH" });
    expect((err as Error).message).toMatch(/apt-get install gcc-12=12\.2\.0-14\+deb12u9/);
    expect(leftovers(cache)).toEqual([]);
  }, 300_000);

  it("a headers package without Module.symvers: SOURCE_UNAVAILABLE naming it, before the large packages", async () => {
    const cache = scratchCache();
    await seedDeb(
      cache,
      `linux-headers-${RELEASE}`,
      await doctoredHeaders((c) => c, [`usr/src/linux-headers-${RELEASE}/Module.symvers`]),
    );
    const err = await prepare(distroRepo(), cache);
    expect(err).toMatchObject({ code: "SOURCE_UNAVAILABLE" });
    expect((err as Error).message).toMatch(
      new RegExp(`lacks .*linux-headers-${RELEASE}/Module\\.symvers`),
    );
    expect(readdirSync(join(cache, "debian")).filter((f) => f.endsWith(".deb"))).toEqual([
      `linux-headers-${RELEASE}_6.1.192-3.deb`,
    ]);
    expect(leftovers(cache)).toEqual([]);
  }, 300_000);

  it("a target whose toolchain is not the kernel's compiler: TOOLCHAIN_MISMATCH saying what to pin", async () => {
    const cache = scratchCache();
    await seedDeb(cache, `linux-headers-${RELEASE}`, await realDeb(`linux-headers-${RELEASE}`));
    const repo = distroRepo(
      {},
      targetYamlWith(
        "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0",
        "gcc (Debian 12.2.0-14+deb12u1) 12.2.0",
      ),
    );
    const err = await prepare(repo, cache);
    expect(err).toMatchObject({ code: "TOOLCHAIN_MISMATCH" });
    expect((err as Error).message).toMatch(
      /set toolchain: gcc-12 \(Debian 12\.2\.0-14\+deb12u1\) 12\.2\.0/,
    );
    expect(leftovers(cache)).toEqual([]);
  }, 300_000);
});
