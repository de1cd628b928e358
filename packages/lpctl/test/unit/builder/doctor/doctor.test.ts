import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AptArchive } from "../../../../src/builder/source/apt-archive.js";
import type { KernelTarget } from "../../../../src/core/target.js";
import { formatDoctor, runDoctor } from "../../../../src/builder/doctor/doctor.js";
import { LpctlError } from "../../../../src/core/errors.js";
import { fakeRunner } from "../helpers/fake-runner.js";

const version = (text: string) => () => ({ stdout: `${text}\n` });
const missing = (cmd: string) => () => new LpctlError("TOOL_MISSING", `cannot run '${cmd}'`);

function handlers(over: Parameters<typeof fakeRunner>[0] = {}) {
  return {
    gcc: version("gcc (Debian 12.2.0-14+deb12u1) 12.2.0"),
    make: version("GNU Make 4.3"),
    bison: version("bison (GNU Bison) 3.8.2"),
    flex: version("flex 2.6.4"),
    bc: version("bc 1.07.1"),
    gawk: version("GNU Awk 5.2.1"),
    cpio: version("cpio (GNU cpio) 2.13"),
    xz: version("xz (XZ Utils) 5.4.1"),
    readelf: (args: readonly string[]) =>
      args[0] === "-l"
        ? { stdout: "Elf file type is EXEC\n  LOAD ...\n" }
        : { stdout: "GNU readelf 2.40\n" },
    pahole: version("v1.24"),
    modinfo: version("kmod version 30"),
    "qemu-system-x86_64": version("QEMU emulator version 7.2.22"),
    gpg: version("gpg (GnuPG) 2.2.40"),
    "/bin/sh": version("Version : 0.9.9"),
    ...over,
  } as Parameters<typeof fakeRunner>[0];
}

// kpatch-build is looked up on disk: /bin/sh stands in for an executable that exists.
const deps = (runner: ReturnType<typeof fakeRunner>, over: { kpatch?: string } = {}) => ({
  runner,
  env: { PATH: "/usr/bin", LPCTL_KPATCH_BUILD: over.kpatch ?? "/bin/sh" },
  findTool: (name: string) => Promise.resolve(`/usr/bin/${name}`),
});

describe("runDoctor", () => {
  it("reports every tool present with its version", async () => {
    const checks = await runDoctor(deps(fakeRunner(handlers())));
    expect(checks.every((c) => c.ok)).toBe(true);
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName.gcc?.version).toBe("gcc (Debian 12.2.0-14+deb12u1) 12.2.0");
    expect(byName["kpatch-build"]?.version).toBe("0.9.9");
    expect(Object.keys(byName)).toEqual(
      expect.arrayContaining([
        "make",
        "bison",
        "flex",
        "bc",
        "gawk",
        "cpio",
        "xz",
        "readelf",
        "pahole",
        "qemu-system-x86_64",
        "gpg",
        "busybox (static)",
        "kpatch-build",
      ]),
    );
  });

  it("marks missing tools and a dynamic busybox, each with the fix", async () => {
    const runner = fakeRunner(
      handlers({
        pahole: missing("pahole"),
        readelf: (args: readonly string[]) =>
          args[0] === "-l"
            ? { stdout: "  INTERP  /lib64/ld-linux-x86-64.so.2\n" }
            : { stdout: "GNU readelf\n" },
      }),
    );
    const checks = await runDoctor(deps(runner, { kpatch: "/nonexistent/kpatch-build" }));
    const bad = checks.filter((c) => !c.ok);
    expect(bad.map((c) => c.name)).toEqual(["pahole", "busybox (static)", "kpatch-build"]);
    for (const c of bad) expect(c.fix).toMatch(/install-build-deps\.sh/);
    expect(formatDoctor(checks).find((l) => l.includes("pahole"))).toMatch(/^FAIL/);
  });

  it("a kpatch-build that is found but prints no version fails with the fix, not 'unknown'", async () => {
    const runner = fakeRunner(handlers({ "/bin/sh": () => ({ stdout: "", exitCode: 1 }) }));
    const checks = await runDoctor(deps(runner));
    const k = checks.find((c) => c.name === "kpatch-build");
    expect(k).toMatchObject({ ok: false, detail: "/bin/sh --version exited 1 without a version" });
    const line = formatDoctor(checks).find((l) => l.includes("kpatch-build")) ?? "";
    expect(line).toMatch(
      /^FAIL kpatch-build .*\(reinstall it: run: sudo bash scripts\/install-build-deps\.sh\)$/,
    );
    expect(line).not.toMatch(/unknown/);
  });
});

describe("runDoctor with the repository's kernel targets", () => {
  const gcc12 = "gcc (Debian 12.2.0-14+deb12u1) 12.2.0";
  const base: KernelTarget = {
    id: "lab",
    release: "6.1.192",
    arch: "x86_64",
    source: { debian: { package: "linux-source-6.1", version: "6.1.192-2" } },
    config: { base: "tinyconfig" },
    toolchain: "gcc (Debian 12.2.0-14) 12.2.0",
  };
  const archive: AptArchive = {
    update: () => Promise.resolve(),
    versions: () => Promise.resolve(["6.1.192-3"]),
    show: (pkg, version) =>
      Promise.resolve(
        version === "6.1.192-3"
          ? { package: pkg, version, sha256: "a".repeat(64), size: 1, filename: "" }
          : undefined,
      ),
    download: () => Promise.reject(new Error("doctor never downloads")),
  };
  const debian = { archive, dir: mkdtempSync(join(tmpdir(), "lpctl-doc-")) };

  it("checks each pinned source with apt and each compiler pin, and gives the fix", async () => {
    const targets: KernelTarget[] = [
      base,
      { ...base, id: "newest", source: { debian: { package: "linux-source-6.1" } } },
      { ...base, id: "distro", buildId: "ab".repeat(20) },
    ];
    const checks = await runDoctor({ ...deps(fakeRunner(handlers())), targets, debian });
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName["source lab"]).toMatchObject({ ok: false });
    expect(byName["source lab"]?.fix).toMatch(/6\.1\.192-2.*have: 6\.1\.192-3.*lpctl target bump/s);
    expect(byName["source newest"]).toMatchObject({ ok: true });
    expect(byName["source newest"]?.detail).toContain("6.1.192-3 (not pinned: newest)");
    // A lab kernel is built here: another compiler than its pin is fine, and said.
    expect(byName["toolchain lab"]).toMatchObject({ ok: true });
    expect(byName["toolchain lab"]?.detail).toContain(`built here with ${gcc12}`);
    // A kernel built elsewhere needs its exact compiler: the fix names the package.
    expect(byName["toolchain distro"]).toMatchObject({ ok: false });
    expect(byName["toolchain distro"]?.fix).toContain("apt-get install gcc-12=12.2.0-14");
    expect(formatDoctor(checks).find((l) => l.includes("toolchain distro"))).toMatch(/^FAIL/);
  });

  it("checks a Debian binary kernel's four packages and its gcc-12, not gcc", async () => {
    const cloud: KernelTarget = {
      id: "cloud",
      release: "6.1.0-57-cloud-amd64",
      arch: "x86_64",
      image: { debian: { package: "linux-image-6.1.0-57-cloud-amd64", version: "6.1.192-3" } },
      source: { debian: { package: "linux-source-6.1", version: "6.1.192-3" } },
      toolchain: "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0",
      buildId: "ab".repeat(20),
    };
    const withGcc12 = handlers({ "gcc-12": version("gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0") });
    const ok = await runDoctor({ ...deps(fakeRunner(withGcc12)), targets: [cloud], debian });
    const byName = Object.fromEntries(ok.map((c) => [c.name, c]));
    expect(byName["toolchain cloud"]).toMatchObject({ ok: true });
    expect(byName["source cloud"]).toMatchObject({ ok: true });
    expect(byName["source cloud"]?.detail).toContain(
      "linux-headers-6.1.0-57-cloud-amd64, linux-image-6.1.0-57-cloud-amd64, linux-image-6.1.0-57-cloud-amd64-dbg, linux-source-6.1 6.1.192-3",
    );
    const without = await runDoctor({
      ...deps(fakeRunner(handlers({ "gcc-12": missing("gcc-12") }))),
      targets: [{ ...cloud, image: { debian: { ...cloud.image!.debian, version: "6.1.192-9" } } }],
      debian,
    });
    const bad = Object.fromEntries(without.map((c) => [c.name, c]));
    expect(bad["toolchain cloud"]).toMatchObject({ ok: false });
    expect(bad["toolchain cloud"]?.detail).toContain("no gcc-12 installed");
    expect(bad["source cloud"]).toMatchObject({ ok: false });
    expect(bad["source cloud"]?.fix).toMatch(/linux-headers-6\.1\.0-57-cloud-amd64 6\.1\.192-9/);
  });
});
