/**
 * `lpctl build --vm-test` end to end: the cumulative module for the lab
 * kernel, built by kpatch-build and booted in qemu with the patches' checks.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildModule } from "../../src/builder/build/build.js";
import { vmTestAfterBuild } from "../../src/builder/build/build-vm-test.js";
import { systemClock } from "../../src/io/clock.js";
import { execaRunner } from "../../src/builder/runtime/runner.js";
import { CACHE, REPO } from "../integration/builder/helpers.js";

describe("lpctl build --vm-test", () => {
  it("builds the cumulative module and passes its boot test", async () => {
    const lines: string[] = [];
    const print = (l: string) => lines.push(l);
    const outDir = mkdtempSync(join(tmpdir(), "lpctl-out-"));
    const r = await buildModule({
      runner: execaRunner,
      clock: systemClock,
      print,
      env: process.env,
      repoDir: REPO,
      cacheDir: CACHE,
      targetId: "debian-6.1-lab",
      outDir,
      serial: "5",
      afterBuild: vmTestAfterBuild(print),
    });
    expect(r.report.result).toBe("success");
    expect(r.report.module?.name).toBe("lp_debian_6_1_lab_5");
    expect(r.report.timings["vm-test"]).toBeGreaterThan(0);
    expect(existsSync(join(outDir, "lp_debian_6_1_lab_5.ko"))).toBe(true);
    expect(lines.join("\n")).toMatch(/PASS: lp_debian_6_1_lab_5/);
  });
});
