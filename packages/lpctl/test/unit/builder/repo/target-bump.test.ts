import { describe, expect, it } from "vitest";
import { bumpTarget } from "../../../../src/builder/repo/target-bump.js";
import type { KernelTarget } from "../../../../src/core/target.js";
import { formatBump } from "../../../../src/cli/commands/target.js";
import { bumpRelease, kernelVersionFromMakefile } from "../../../../src/core/kernel-version.js";

describe("kernel version from a tree's Makefile", () => {
  it("joins VERSION, PATCHLEVEL, SUBLEVEL and EXTRAVERSION", () => {
    const mk =
      "# SPDX\nVERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\nEXTRAVERSION =\nNAME = Curry Ramen\n";
    expect(kernelVersionFromMakefile(mk)).toBe("6.1.192");
    expect(kernelVersionFromMakefile(mk.replace("EXTRAVERSION =", "EXTRAVERSION = -rc3"))).toBe(
      "6.1.192-rc3",
    );
    expect(kernelVersionFromMakefile("all:\n\ttrue\n")).toBeUndefined();
  });

  it("a bumped release keeps the target's own suffix", () => {
    expect(bumpRelease("6.1.192", "6.1.200")).toBe("6.1.200");
    expect(bumpRelease("6.1.192-lab", "6.1.200")).toBe("6.1.200-lab");
  });
});

describe("formatBump", () => {
  const base = {
    target: "lab",
    package: "linux-source-6.1",
    from: { version: "6.1.192-2", release: "6.1.192" },
    to: { version: "6.1.200-1", release: "6.1.200", sha256: "a".repeat(64) },
    changed: true,
    written: true,
  };

  it("says what moved and which patches apply, shifted or fail, with the patch output", () => {
    const lines = formatBump({
      ...base,
      patches: [
        { patch: "ok", applies: true, shifted: false, detail: [] },
        {
          patch: "moved",
          applies: true,
          shifted: true,
          detail: ["Hunk #1 succeeded at 40 (offset 3 lines)."],
        },
        { patch: "gone", applies: false, shifted: false, detail: ["1 out of 1 hunk FAILED"] },
      ],
    });
    expect(lines[0]).toBe(
      "lab: linux-source-6.1 6.1.192-2 (6.1.192) → 6.1.200-1 (6.1.200), target.yaml rewritten",
    );
    expect(lines).toContain("  ok: applies");
    expect(lines).toContain("  moved: applies (offset/fuzz)");
    expect(lines).toContain("    Hunk #1 succeeded at 40 (offset 3 lines).");
    expect(lines).toContain("  gone: DOES NOT APPLY");
    expect(lines.at(-1)).toBe(
      "1 of 3 patches no longer apply: rebase them in the same pull request",
    );
  });

  it("a target already at the newest version, one patch that applies", () => {
    const lines = formatBump({
      ...base,
      changed: false,
      written: false,
      patches: [{ patch: "ok", applies: true, shifted: false, detail: [] }],
    });
    expect(lines[0]).toBe("lab: already at 6.1.200-1 (6.1.200)");
    expect(lines.at(-1)).toBe("1 patch applies to the new source");
  });
});

describe("bumpTarget on Debian's binary kernel", () => {
  it("refuses: a newer Debian kernel is a new image package and build-id, so a new target", async () => {
    const never = () => Promise.reject(new Error("no apt, no unpacking for a refusal"));
    const target: KernelTarget = {
      id: "debian-12-cloud-amd64",
      release: "6.1.0-57-cloud-amd64",
      arch: "x86_64",
      image: { debian: { package: "linux-image-6.1.0-57-cloud-amd64", version: "6.1.192-3" } },
      source: { debian: { package: "linux-source-6.1", version: "6.1.192-3" } },
      toolchain: "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0",
      buildId: "01d2640d3a13145ee314eb05b155f141b7b7058b",
    };
    const err = await bumpTarget(target, [], {
      runner: { run: never },
      debian: {
        dir: "/nonexistent",
        archive: { update: never, versions: never, show: never, download: never },
      },
      repoDir: "/nonexistent",
      scratchDir: "/nonexistent",
      print: () => {},
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "USAGE" });
    expect((err as Error).message).toMatch(/add a new target for it/);
  });
});
