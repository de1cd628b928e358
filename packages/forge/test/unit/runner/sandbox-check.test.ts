import { describe, expect, it } from "vitest";
import { checkSandbox } from "../../../src/runner/sandbox-check.js";

describe("checkSandbox", () => {
  it("refuses to run jobs as a user who cannot mount the overlays, saying why", async () => {
    await expect(checkSandbox(1000)).rejects.toMatchObject({
      code: "FORGE_SANDBOX_UNAVAILABLE",
      message: expect.stringContaining("must run as root") as unknown,
    });
  });

  it("accepts root with bwrap and unshare on PATH", async () => {
    await expect(checkSandbox(0)).resolves.toBeUndefined();
  });
});
