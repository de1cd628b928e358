import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kernelDirName, kernelKey } from "../../../../src/builder/cache/cache-key.js";
import { prepareKernel } from "../../../../src/builder/kernel/prepare.js";
import { writePrepared } from "../../../../src/builder/cache/prepared-record.js";
import type { KernelTarget } from "../../../../src/core/target.js";
import { fakeRunner } from "../helpers/fake-runner.js";

const gccId = "gcc (Debian 12.2.0-14+deb12u1) 12.2.0";
const debSha = "ae95fe63d4c553f8d0e6c86cb1ab566f3894a43743eb19ab585cd97d82f26514";
const lab: KernelTarget = {
  id: "lab",
  release: "6.1.192",
  arch: "x86_64",
  source: { debian: { package: "linux-source-6.1", version: "6.1.192-2" } },
  config: { base: "tinyconfig", fragment: "config.fragment" },
  toolchain: gccId,
  configText: "CONFIG_LIVEPATCH=y\n",
};
const distro: KernelTarget = { ...lab, id: "distro", buildId: "ab".repeat(20) };
const clock = { now: () => new Date(0), monotonicMs: () => 0, sleep: () => Promise.resolve() };

/** A kpatch-build installation layout (bin, lib/kpatch, share/kpatch) in a temp dir. */
function fakeKpatch(): string {
  const root = mkdtempSync(join(tmpdir(), "lpctl-kp-"));
  for (const d of ["usr/bin", "usr/lib/kpatch", "usr/share/kpatch"]) {
    mkdirSync(join(root, d), { recursive: true });
  }
  writeFileSync(join(root, "usr/bin/kpatch-build"), "#!/bin/sh\n");
  return join(root, "usr/bin/kpatch-build");
}

const show = `Package: linux-source-6.1\nVersion: 6.1.192-2\nSize: 139331676\nSHA256: ${debSha}\nFilename: pool/l/linux-source-6.1_6.1.192-2_all.deb\n`;

function runner(gcc = gccId) {
  return fakeRunner({
    gcc: (args) => (args[0] === "--version" ? { stdout: `${gcc}\n` } : {}),
    "apt-cache": (args) => (args.includes("show") ? { stdout: show } : { exitCode: 100 }),
  });
}

const flavour = "kpatch-cc -ffunction-sections -fdata-sections -gz=none lds-split-sections";
const source = `debian:linux-source-6.1=6.1.192-2@sha256:${debSha}`;

async function cachedEntry(
  cacheDir: string,
  target: KernelTarget,
  compiler: string,
  recorded = compiler,
) {
  const key = kernelKey({
    targetId: target.id,
    source,
    configBase: "tinyconfig",
    configText: target.configText ?? "",
    toolchain: compiler,
    flavour,
    arch: "x86_64",
  });
  const dir = join(cacheDir, "kernels", kernelDirName(target.id, key));
  mkdirSync(dir, { recursive: true });
  await writePrepared(dir, {
    schema: 1,
    target: target.id,
    key,
    source,
    release: "6.1.192",
    arch: "x86_64",
    buildId: "ab12",
    compiler: recorded,
    timings: {},
    preparedAt: new Date(0).toISOString(),
  });
  return dir;
}

const opts = (r: ReturnType<typeof runner>, cacheDir: string, print = (_: string) => {}) => ({
  runner: r,
  clock,
  print,
  cacheDir,
  repoDir: ".",
  kpatchBuild: fakeKpatch(),
});

describe("prepareKernel with a cache hit", () => {
  it("reuses prepared.json: the pinned .deb is resolved from the archive index, no make, tar or download", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "lpctl-prep-"));
    const dir = await cachedEntry(cacheDir, lab, gccId);
    const r = runner();
    const lines: string[] = [];
    const p = await prepareKernel(
      lab,
      opts(r, cacheDir, (l) => lines.push(l)),
    );
    expect(p.cached).toBe(true);
    expect(p.buildId).toBe("ab12");
    expect(p.tree).toBe(join(dir, "tree"));
    expect(p.kpatchCache).toBe(join(cacheDir, "kpatch", kernelDirName("lab", p.key)));
    expect(p.make.env.KCPPFLAGS).toContain(`-fdebug-prefix-map=${join(dir, "tree")}=.`);
    expect(r.calls.map((c) => c.cmd)).toEqual(["gcc", "apt-cache", "gcc"]);
    expect(lines.join("\n")).toContain("cached");
  });

  it("a lab target with another compiler than its pin builds with the runner's, keyed on it", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "lpctl-prep-"));
    const newer = "gcc (Debian 12.2.0-14+deb12u2) 12.2.0";
    await cachedEntry(cacheDir, lab, newer);
    const lines: string[] = [];
    const p = await prepareKernel(
      lab,
      opts(runner(newer), cacheDir, (l) => lines.push(l)),
    );
    expect(p.cached).toBe(true);
    expect(p.compiler).toBe(newer);
    expect(lines.join("\n")).toMatch(
      /lab target last pinned .*12\.2\.0-14\+deb12u1.*building with .*deb12u2/,
    );
  });

  it("never serves a tree built by another compiler: the key is the runner's compiler", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "lpctl-prep-"));
    await cachedEntry(cacheDir, lab, gccId);
    const other = "gcc (Debian 12.2.0-14+deb12u2) 12.2.0";
    const r = runner(other);
    // No entry for this compiler: it would build (make is not in the fake, so it fails there).
    await expect(prepareKernel(lab, opts(r, cacheDir))).rejects.toThrow(/unexpected command/);
    expect(r.calls.map((c) => c.cmd)).not.toContain("make");
  });

  it("an entry whose recorded compiler differs from its key's is rebuilt, not trusted", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "lpctl-prep-"));
    await cachedEntry(cacheDir, lab, gccId, "gcc (Debian 13.1.0-1) 13.1.0");
    const r = runner();
    const lines: string[] = [];
    await expect(
      prepareKernel(
        lab,
        opts(r, cacheDir, (l) => lines.push(l)),
      ),
    ).rejects.toThrow(/unexpected command apt-get/);
    expect(lines.join("\n")).toMatch(
      /was built with 'gcc \(Debian 13\.1\.0-1\) 13\.1\.0'.*rebuilding/,
    );
  });

  it("a kernel built elsewhere (buildId) refuses another compiler before anything else, naming the package to install", async () => {
    const r = runner("gcc (Debian 13.1.0-1) 13.1.0");
    const err = await prepareKernel(distro, opts(r, "/nonexistent")).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "TOOLCHAIN_MISMATCH",
      details: { package: { package: "gcc-12", version: "12.2.0-14+deb12u1" } },
    });
    expect((err as Error).message).toContain("apt-get install gcc-12=12.2.0-14+deb12u1");
    expect(r.calls.map((c) => c.cmd)).toEqual(["gcc"]);
  });
});
