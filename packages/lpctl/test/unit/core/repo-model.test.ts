import { beforeAll, describe, expect, it } from "vitest";
import { checkRepository, type RepoEntry } from "../../../src/core/repo-model.js";
import {
  FRAGMENT,
  PATCH_FILE,
  PATCH_YAML,
  TARGET_YAML,
  file,
  lines,
  realSnapshot,
  textOf,
  variant,
} from "../helpers/snapshot-variant.js";

let real: RepoEntry[];
beforeAll(async () => {
  real = await realSnapshot();
});

describe("checkRepository on this repository", () => {
  it("accepts the real targets and patches, ordered by id", () => {
    const check = checkRepository(real);
    expect(check.problems).toEqual([]);
    expect(check.targets.map((t) => t.id)).toEqual(["debian-12-cloud-amd64", "debian-6.1-lab"]);
    // Debian's binary kernel has no config file: its headers package has Debian's.
    expect(check.targets[0].image?.debian.package).toBe("linux-image-6.1.0-57-cloud-amd64");
    expect(check.targets[0].configText).toBeUndefined();
    expect(check.targets[1].configText).toContain("CONFIG_LIVEPATCH=y");
    expect(check.patches.map((p) => p.id)).toEqual(["cmdline-banner", "version-banner"]);
    // version-banner names its kernels by the glob 'debian-*'.
    expect(check.patches.map((p) => p.targets)).toEqual([
      ["debian-12-cloud-amd64", "debian-6.1-lab"],
      ["debian-12-cloud-amd64", "debian-6.1-lab"],
    ]);
    expect(check.patches[0].files.map((f) => f.path)).toEqual([PATCH_FILE]);
  });

  it("gives the same result whatever order the snapshot lists entries in", () => {
    expect(checkRepository([...real].reverse())).toEqual(checkRepository(real));
  });

  it("orders patch files by file name", () => {
    const second = file("patches/cmdline-banner/0000-first.patch", textOf(PATCH_FILE));
    const check = variant(undefined, null, second);
    expect(check.patches[0].files.map((f) => f.path)).toEqual([second.path, PATCH_FILE]);
  });
});

describe("checkRepository: metadata files", () => {
  it("reports malformed YAML with its line", () => {
    const check = variant(PATCH_YAML, file(PATCH_YAML, "title: [unclosed\n"));
    expect(check.problems[0]).toMatchObject({ file: PATCH_YAML, code: "YAML_INVALID" });
    expect(check.patches.map((p) => p.id)).toEqual(["version-banner"]);
  });

  it("reports unknown fields, also nested ones, with their field path", () => {
    const yaml = textOf(TARGET_YAML) + "colour: blue\n";
    expect(lines(variant(TARGET_YAML, file(TARGET_YAML, yaml)))).toEqual([
      `SCHEMA_INVALID ${TARGET_YAML}: unknown field(s) 'colour'`,
    ]);
    const patch = textOf(PATCH_YAML).replace("  expect:", "  timeout: 5\n  expect:");
    expect(lines(variant(PATCH_YAML, file(PATCH_YAML, patch)))).toEqual([
      `SCHEMA_INVALID ${PATCH_YAML}: test: unknown field(s) 'timeout'`,
    ]);
  });

  it("reports a bad CVE id at its index", () => {
    const yaml = textOf(PATCH_YAML).replace("[CVE-2026-10001]", "[CVE-2026-10001, cve-1]");
    const [p] = variant(PATCH_YAML, file(PATCH_YAML, yaml)).problems;
    expect(p).toMatchObject({ file: PATCH_YAML, path: "cves[1]", code: "SCHEMA_INVALID" });
  });

  it("reports a missing target.yaml", () => {
    expect(lines(variant(TARGET_YAML, null))).toContain(
      `FILE_MISSING ${TARGET_YAML}: does not exist`,
    );
  });

  it("reports a missing config fragment on the field that names it", () => {
    expect(lines(variant(FRAGMENT, null))).toEqual([
      `FILE_MISSING ${TARGET_YAML}: config.fragment: ${FRAGMENT} does not exist`,
    ]);
  });

  it("reports fragment lines that are not kconfig, and repeated options", () => {
    const text =
      '# comment\nCONFIG_A=y\nCONFIG_B="x"\nCONFIG_C=0x1f\n# CONFIG_D is not set\n\nENABLE_E\nCONFIG_A=m\n';
    expect(lines(variant(FRAGMENT, file(FRAGMENT, text)))).toEqual([
      `SCHEMA_INVALID ${FRAGMENT}: line 7: 'ENABLE_E' is not CONFIG_X=y|m|n|"string"|number or '# CONFIG_X is not set'`,
      `SCHEMA_INVALID ${FRAGMENT}: line 8: CONFIG_A is set again (first on line 2)`,
    ]);
  });
});

describe("checkRepository: kernel references", () => {
  const withKernels = (list: string) =>
    variant(PATCH_YAML, file(PATCH_YAML, textOf(PATCH_YAML).replace('["debian-*"]', list)));

  it("names an unknown target and the known ones", () => {
    expect(lines(withKernels("[debian-6.1-lab, debian-6.2]"))).toEqual([
      `KERNEL_UNKNOWN ${PATCH_YAML}: kernels[1]: no kernel target 'debian-6.2' (known: debian-12-cloud-amd64, debian-6.1-lab)`,
    ]);
  });

  it("refuses a glob that matches nothing", () => {
    expect(lines(withKernels("['ubuntu-*']"))).toEqual([
      `KERNEL_UNKNOWN ${PATCH_YAML}: kernels[0]: glob 'ubuntu-*' matches no kernel target (known: debian-12-cloud-amd64, debian-6.1-lab)`,
    ]);
  });

  it("refuses an entry listed twice and one with other characters", () => {
    expect(lines(withKernels("[debian-6.1-lab, debian-6.1-lab, 'a b']"))).toEqual([
      `ID_DUPLICATE ${PATCH_YAML}: kernels[1]: 'debian-6.1-lab' is listed twice (also kernels[0])`,
      `ID_INVALID ${PATCH_YAML}: kernels[2]: 'a b' is neither a target id nor a glob of [a-z0-9._-] with * and ?`,
    ]);
  });

  it("resolves against a target whose target.yaml is broken, reporting it once", () => {
    const check = variant(TARGET_YAML, file(TARGET_YAML, "release: 6.1\n"));
    expect(check.problems.every((p) => p.file === TARGET_YAML)).toBe(true);
  });
});
