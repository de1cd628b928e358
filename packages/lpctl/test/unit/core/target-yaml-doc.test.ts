import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { distroTargetYaml } from "../../../src/core/distro-target-yaml.js";
import { TargetSchema } from "../../../src/core/target.js";
import { file, realSnapshot, variant } from "../helpers/snapshot-variant.js";

const DOC = readFileSync(join(import.meta.dirname, "../../../../../docs/target-yaml.md"), "utf8");

/** The fenced blocks of the document that carry a title="path". */
function titledBlocks(): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of DOC.matchAll(/```\w+ title="([^"]+)"\n([\s\S]*?)```/g)) out.set(m[1], m[2]);
  return out;
}

beforeAll(async () => {
  await realSnapshot();
});

describe("docs/target-yaml.md", () => {
  it("has a worked custom-kernel example that validates", () => {
    const blocks = titledBlocks();
    expect([...blocks.keys()]).toEqual([
      "kernels/debian-12-cloud-amd64/target.yaml",
      "kernels/debian-6.1.0-57-cloud-amd64/target.yaml",
      "kernels/acme-6.1-custom/target.yaml",
      "kernels/acme-6.1-custom/config",
    ]);
    const custom = [...blocks].filter(([p]) => p.startsWith("kernels/acme-"));
    const check = variant(undefined, null, ...custom.map(([p, t]) => file(p, t)));
    expect(check.problems).toEqual([]);
    const target = check.targets.find((t) => t.id === "acme-6.1-custom");
    expect(target?.source).toEqual({ path: "/srv/kernels/linux-6.1-acme" });
    expect(target?.config).toEqual({ file: "config" });
    expect(target?.configText).toContain("CONFIG_LIVEPATCH=y");
  });

  it("shows the repository's own Debian cloud target, which validates", () => {
    const doc = titledBlocks().get("kernels/debian-12-cloud-amd64/target.yaml") ?? "";
    const path = "kernels/debian-12-cloud-amd64/target.yaml";
    const check = variant(path, file(path, doc));
    expect(check.problems).toEqual([]);
    const fromDoc = check.targets.find((t) => t.id === "debian-12-cloud-amd64");
    const real = variant(undefined, null).targets.find((t) => t.id === "debian-12-cloud-amd64");
    expect(fromDoc).toEqual({ ...real, description: undefined });
  });

  it("shows byte for byte what lpctl target init writes for the repository's Debian cloud kernel", () => {
    const doc = titledBlocks().get("kernels/debian-6.1.0-57-cloud-amd64/target.yaml");
    const real = variant(undefined, null).targets.find((t) => t.id === "debian-12-cloud-amd64");
    if (real?.image === undefined || !("debian" in real.source)) throw new Error("no image target");
    expect(doc).toBe(
      distroTargetYaml({
        release: real.release,
        image: real.image.debian,
        sourcePackage: real.source.debian.package,
        toolchain: real.toolchain ?? "",
        buildId: real.buildId ?? "",
        summary: "Linux 6.1 for x86-64 cloud (signed)",
      }),
    );
  });

  it("documents every field of the schema", () => {
    const fields = Object.keys(TargetSchema.shape);
    expect(fields.length).toBeGreaterThan(5);
    for (const field of fields) expect(DOC, field).toContain(`| \`${field}\``);
  });
});
