import { describe, expect, it } from "vitest";
import { distroPackages } from "../../../src/core/distro-target.js";
import { TargetSchema } from "../../../src/core/target.js";

const IMAGE = { debian: { package: "linux-image-6.1.0-57-cloud-amd64", version: "6.1.192-3" } };
const GOOD = {
  release: "6.1.0-57-cloud-amd64",
  arch: "x86_64",
  image: IMAGE,
  source: { debian: { package: "linux-source-6.1", version: "6.1.192-3" } },
  toolchain: "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0",
  buildId: "01d2640d3a13145ee314eb05b155f141b7b7058b",
};

/** "path: message" of every issue the schema reports. */
function issues(value: unknown): string[] {
  const r = TargetSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("target.yaml: a distribution's binary kernel (image:)", () => {
  it("accepts the pinned Debian cloud kernel without a config", () => {
    expect(issues(GOOD)).toEqual([]);
  });

  it("derives the packages of the same build from the image package", () => {
    expect(distroPackages(IMAGE, "linux-source-6.1")).toEqual({
      version: "6.1.192-3",
      release: "6.1.0-57-cloud-amd64",
      image: "linux-image-6.1.0-57-cloud-amd64",
      headers: "linux-headers-6.1.0-57-cloud-amd64",
      dbg: "linux-image-6.1.0-57-cloud-amd64-dbg",
      source: "linux-source-6.1",
    });
  });

  it("refuses fields that do not describe one Debian build, naming each", () => {
    expect(
      issues({
        ...GOOD,
        release: "6.1.192",
        config: { file: "config" },
        source: { debian: { package: "linux-source-6.1", version: "6.1.192-2" } },
        buildId: undefined,
      }),
    ).toEqual([
      "release: must be '6.1.0-57-cloud-amd64', the release in the image package's name (linux-image-6.1.0-57-cloud-amd64)",
      "config: must be left out with image: the config is Debian's own, from linux-headers-6.1.0-57-cloud-amd64",
      "source.debian.version: must be 6.1.192-3, the image's version: Debian builds image and source from one version",
      "buildId: is required with image: the GNU build-id of Debian's vmlinux (readelf -n, or /sys/kernel/notes on a host)",
    ]);
  });

  it("refuses a source that is not Debian's, an image that is not a kernel image, and no version", () => {
    expect(issues({ ...GOOD, source: { path: "/srv/linux" } })).toEqual([
      "source: must be source.debian (linux-source-X.Y) with image: the source Debian built from",
    ]);
    expect(
      issues({
        ...GOOD,
        image: { debian: { package: "linux-headers-6.1.0-57-cloud-amd64", version: "6.1.192-3" } },
      })[0],
    ).toMatch(/^image.debian.package: must be a Debian kernel image package/);
    expect(issues({ ...GOOD, image: { debian: { package: IMAGE.debian.package } } })[0]).toMatch(
      /^image.debian.version:/,
    );
  });

  it("still requires config for a kernel this project builds", () => {
    const { image: _image, ...lab } = GOOD;
    expect(issues({ ...lab, buildId: undefined })).toEqual([
      "config: is required (or `image:` for a distribution's binary kernel)",
    ]);
  });
});
