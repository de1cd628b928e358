import { describe, expect, it } from "vitest";
import {
  devSerial,
  MODULE_NAME_MAX,
  moduleName,
} from "../../../../src/builder/module/livepatch-module-name.js";

const sha = (c: string) => c.repeat(64);

describe("moduleName", () => {
  it("uses only [a-z0-9_] so file, module and sysfs names agree", () => {
    expect(moduleName("debian-6.1-lab", "42")).toBe("lp_debian_6_1_lab_42");
  });

  it("shortens the target part to stay within 55 characters and keeps the serial", () => {
    const name = moduleName(
      "a-very-long-kernel-target-identifier-for-some-distro-kernel-6.1.0",
      "1234567",
    );
    expect(name.length).toBeLessThanOrEqual(MODULE_NAME_MAX);
    expect(name).toMatch(/^lp_[a-z0-9_]+_1234567$/);
    expect(name).not.toMatch(/__/);
  });

  it("refuses a serial that leaves no room", () => {
    expect(() => moduleName("t", "9".repeat(60))).toThrow(/too long/);
  });

  it("refuses unusable serials with MODULE_NAME_INVALID saying what to pass", () => {
    expect(() => moduleName("t", "9".repeat(60))).toThrow(
      expect.objectContaining({ code: "MODULE_NAME_INVALID" }),
    );
    expect(() => moduleName("t", "--")).toThrow(
      expect.objectContaining({
        code: "MODULE_NAME_INVALID",
        message: expect.stringMatching(/no usable characters; pass a --serial/) as unknown,
      }),
    );
  });
});

describe("devSerial", () => {
  it("is stable for the same patch set and differs for another", () => {
    const a = devSerial([{ id: "p1", sha256: sha("a") }]);
    expect(a).toMatch(/^dev[0-9a-f]{8}$/);
    expect(devSerial([{ id: "p1", sha256: sha("a") }])).toBe(a);
    expect(devSerial([{ id: "p1", sha256: sha("b") }])).not.toBe(a);
    expect(devSerial([{ id: "p2", sha256: sha("a") }])).not.toBe(a);
  });
});
