import { describe, expect, it } from "vitest";
import {
  checkToolchain,
  compilerIdentity,
  enforceToolchain,
} from "../../../../src/builder/kernel/toolchain.js";
import { fakeRunner } from "../helpers/fake-runner.js";

const pinned = "gcc (Debian 12.2.0-14+deb12u1) 12.2.0";

describe("toolchain pin", () => {
  it("reads the first line of gcc --version", async () => {
    const runner = fakeRunner({ gcc: () => ({ stdout: `${pinned}\nCopyright (C) 2022\n` }) });
    expect(await compilerIdentity(runner)).toBe(pinned);
  });

  it("passes an exact match", () => {
    expect(() => enforceToolchain(checkToolchain(pinned, pinned), false)).not.toThrow();
  });

  it("refuses another Debian revision with TOOLCHAIN_MISMATCH naming both", () => {
    const other = "gcc (Debian 12.2.0-14) 12.2.0";
    let err: unknown;
    try {
      enforceToolchain(checkToolchain(pinned, other), false);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: "TOOLCHAIN_MISMATCH", details: { pinned, actual: other } });
    expect((err as Error).message).toContain(pinned);
    expect((err as Error).message).toContain(other);
  });

  it("lets --allow-toolchain-mismatch through", () => {
    expect(() => enforceToolchain(checkToolchain(pinned, "clang version 16"), true)).not.toThrow();
  });
});
