import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ccVersionText,
  droppedOptions,
  parseConfig,
  scriptsConfigArgs,
} from "../../../../src/builder/kernel/config-fragment.js";

const fragment = `# comment
CONFIG_LIVEPATCH=y
CONFIG_SAMPLE_LIVEPATCH=m
# CONFIG_DEBUG_INFO_BTF is not set
CONFIG_LOCALVERSION="-lab"
CONFIG_LOG_BUF_SHIFT=17
`;

describe("scriptsConfigArgs", () => {
  it("turns each fragment line into the matching scripts/config option", () => {
    expect(scriptsConfigArgs(fragment)).toEqual([
      "--enable",
      "LIVEPATCH",
      "--module",
      "SAMPLE_LIVEPATCH",
      "--disable",
      "DEBUG_INFO_BTF",
      "--set-str",
      "LOCALVERSION",
      "-lab",
      "--set-val",
      "LOG_BUF_SHIFT",
      "17",
    ]);
  });
});

describe("droppedOptions", () => {
  it("is empty when every option survived (an unset option may be absent)", () => {
    const final = `CONFIG_LIVEPATCH=y\nCONFIG_SAMPLE_LIVEPATCH=m\nCONFIG_LOCALVERSION="-lab"\nCONFIG_LOG_BUF_SHIFT=17\n`;
    expect(droppedOptions(fragment, final)).toEqual([]);
  });

  it("lists options olddefconfig dropped or changed", () => {
    const final = `# CONFIG_LIVEPATCH is not set\nCONFIG_SAMPLE_LIVEPATCH=y\nCONFIG_DEBUG_INFO_BTF=y\nCONFIG_LOCALVERSION=""\nCONFIG_LOG_BUF_SHIFT=17\n`;
    expect(droppedOptions(fragment, final)).toEqual([
      { name: "CONFIG_LIVEPATCH", wanted: "y", got: "n" },
      { name: "CONFIG_SAMPLE_LIVEPATCH", wanted: "m", got: "y" },
      { name: "CONFIG_DEBUG_INFO_BTF", wanted: "n", got: "y" },
      { name: "CONFIG_LOCALVERSION", wanted: '"-lab"', got: '""' },
    ]);
  });

  it("reports an option that does not exist as unset", () => {
    expect(droppedOptions("CONFIG_NOT_A_REAL_OPTION=y\n", "CONFIG_64BIT=y\n")).toEqual([
      { name: "CONFIG_NOT_A_REAL_OPTION", wanted: "y", got: "unset" },
    ]);
  });

  it("accepts the real lab fragment against itself", () => {
    const lab = readFileSync(
      new URL("../../../../../../kernels/debian-6.1-lab/config.fragment", import.meta.url),
      "utf8",
    );
    expect(parseConfig(lab).get("CONFIG_LIVEPATCH")).toEqual({ kind: "y" });
    expect(droppedOptions(lab, lab)).toEqual([]);
  });
});

describe("ccVersionText", () => {
  it("reads the compiler identity Kconfig recorded", () => {
    expect(ccVersionText('CONFIG_CC_VERSION_TEXT="gcc (Debian 12.2.0-14+deb12u1) 12.2.0"\n')).toBe(
      "gcc (Debian 12.2.0-14+deb12u1) 12.2.0",
    );
    expect(ccVersionText("CONFIG_64BIT=y\n")).toBeUndefined();
  });
});
