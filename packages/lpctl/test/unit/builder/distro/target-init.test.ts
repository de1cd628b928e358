import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { parseImagePin } from "../../../../src/builder/distro/target-init.js";
import { distroTargetYaml } from "../../../../src/core/distro-target-yaml.js";
import { defaultDistroTargetId, linuxSourcePackage } from "../../../../src/core/distro-target.js";
import { runCli } from "../../../../src/cli/run.js";
import { isLpctlError } from "../../../../src/core/errors.js";
import { TargetSchema } from "../../../../src/core/target.js";

const FACTS = {
  release: "6.1.0-57-cloud-amd64",
  image: { package: "linux-image-6.1.0-57-cloud-amd64", version: "6.1.192-3" },
  sourcePackage: "linux-source-6.1",
  toolchain: "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0",
  buildId: "01d2640d3a13145ee314eb05b155f141b7b7058b",
  summary: "Linux 6.1 for x86-64 cloud (signed)",
};

describe("lpctl target init: the pure parts", () => {
  it("writes the pins of the repository's own Debian cloud target", () => {
    const ours: unknown = parse(
      readFileSync(
        new URL("../../../../../../kernels/debian-12-cloud-amd64/target.yaml", import.meta.url),
        "utf8",
      ),
    );
    const written = TargetSchema.parse(parse(distroTargetYaml(FACTS)));
    expect({ ...written, description: "" }).toEqual({
      ...TargetSchema.parse(ours),
      description: "",
    });
    expect(written.description).toBe(
      "Debian's linux-image-6.1.0-57-cloud-amd64 6.1.192-3: Linux 6.1 for x86-64 cloud (signed)",
    );
  });

  it("quotes what YAML would read as another type", () => {
    const text = distroTargetYaml({ ...FACTS, buildId: "12345678", release: "6.1" });
    expect(text).toContain('release: "6.1"');
    expect((parse(text) as { buildId: unknown }).buildId).toBe("12345678");
  });

  it("derives the source package and the default id", () => {
    expect(linuxSourcePackage("6.1.192-3")).toBe("linux-source-6.1");
    expect(linuxSourcePackage("6.12.95-1~bpo12+1")).toBe("linux-source-6.12");
    expect(linuxSourcePackage("1:6.1.0-1")).toBe("linux-source-6.1");
    expect(linuxSourcePackage("latest")).toBeUndefined();
    expect(defaultDistroTargetId("6.1.0-57-cloud-amd64")).toBe("debian-6.1.0-57-cloud-amd64");
    expect(defaultDistroTargetId("6.12.118+deb13-cloud-amd64")).toBe(
      "debian-6.12.118-deb13-cloud-amd64",
    );
  });

  it("parses --package NAME=VERSION and refuses anything else with USAGE", () => {
    expect(parseImagePin("linux-image-6.1.0-57-cloud-amd64=6.1.192-3")).toEqual({
      debian: FACTS.image,
    });
    for (const bad of [
      "linux-image-6.1.0-57-cloud-amd64",
      "=6.1.192-3",
      "linux-headers-6.1.0-57-cloud-amd64=6.1.192-3",
      "linux-image-6.1.0-57-cloud-amd64=",
      "linux-image-6.1.0-57-cloud-amd64=latest",
    ]) {
      let err: unknown;
      try {
        parseImagePin(bad);
      } catch (e) {
        err = e;
      }
      expect([bad, isLpctlError(err, "USAGE")]).toEqual([bad, true]);
      expect((err as Error).message).toContain("NAME=VERSION");
    }
  });

  it("needs exactly one of --package and --from-host (exit 64, before any lookup)", async () => {
    for (const argv of [
      ["target", "init"],
      ["target", "init", "--from-host", "--package", "linux-image-6.1.0-57-cloud-amd64=6.1.192-3"],
    ]) {
      const err: string[] = [];
      const code = await runCli(argv, { out: () => undefined, err: (l) => err.push(l) });
      expect([code, err[0]]).toEqual([
        64,
        "lpctl: USAGE: target init needs exactly one of --package NAME=VERSION and --from-host",
      ]);
    }
  });
});
