import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { composeInit } from "../../../../src/builder/vm/boot.js";
import { vmTestInit } from "../../../../src/builder/vm/vm-test-init.js";

describe("vmTestInit", () => {
  it("is valid busybox sh", async () => {
    const script = composeInit(vmTestInit("lp_test", 15));
    await expect(execa("/bin/busybox", ["sh", "-n"], { input: script })).resolves.toMatchObject({
      exitCode: 0,
    });
  });

  it("bounds every wait by the transition timeout", () => {
    expect(vmTestInit("lp_test", 2.5)).toContain("-ge 25 ]");
  });

  it("refuses a module name that is not a sysfs name", () => {
    expect(() => vmTestInit("lp-test", 15)).toThrow(/'lp-test' is not a livepatch module name/);
    expect(() => vmTestInit("x; reboot", 15)).toThrow(
      expect.objectContaining({ code: "MODULE_NAME_INVALID" }),
    );
  });
});
