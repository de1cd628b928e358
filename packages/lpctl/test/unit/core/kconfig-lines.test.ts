import { describe, expect, it } from "vitest";
import { checkConfigLines } from "../../../src/core/kconfig-lines.js";

describe("checkConfigLines", () => {
  it("accepts the forms a full .config from `make olddefconfig` contains", () => {
    const text = [
      "#",
      "# Automatically generated file; DO NOT EDIT.",
      "# Linux/x86 6.1.192 Kernel Configuration",
      "#",
      'CONFIG_CC_VERSION_TEXT="gcc (Debian 12.2.0-14+deb12u1) 12.2.0"',
      "CONFIG_GCC_VERSION=120200",
      'CONFIG_LOCALVERSION=""',
      "CONFIG_ILLEGAL_POINTER_VALUE=0xdead000000000000",
      "CONFIG_PANIC_TIMEOUT=-1",
      "CONFIG_SAMPLE_LIVEPATCH=m",
      "# CONFIG_DEBUG_INFO_BTF is not set",
      "",
      'CONFIG_CMDLINE="console=ttyS0 \\"quoted\\""',
      "CONFIG_WINDOWS_LINE=y\r",
    ].join("\n");
    expect(checkConfigLines(".config", text)).toEqual([]);
  });

  it.each([
    ["CONFIG_X=yes"],
    ["CONFIG_X = y"],
    ["config_x=y"],
    ['CONFIG_X="unterminated'],
    ["#CONFIG_X is not set"],
    ["# CONFIG_X=y"],
    ["-e CONFIG_X"],
  ])("refuses %j", (line) => {
    const [p] = checkConfigLines("f", `${line}\n`);
    expect(p).toMatchObject({ file: "f", path: "line 1", code: "SCHEMA_INVALID" });
  });

  it("refuses an option set twice, naming the first line", () => {
    expect(checkConfigLines("f", "CONFIG_A=y\n# CONFIG_A is not set\n")).toEqual([
      {
        file: "f",
        path: "line 2",
        code: "SCHEMA_INVALID",
        message: "CONFIG_A is set again (first on line 1)",
      },
    ]);
  });
});
