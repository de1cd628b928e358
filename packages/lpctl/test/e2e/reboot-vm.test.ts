/**
 * Ready before the reboot, in qemu (packages/lpctl/test/e2e/helpers/reboot-vm.ts): boot 1
 * syncs the lab kernel and prepares Debian's installed cloud kernel; boot 2
 * runs that kernel with no network and no mirror, and the boot unit's
 * command makes its patch live before any sync runs. The time it takes is
 * a benchmark figure (bench/reboot.mjs), not asserted here.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { StatusReport } from "../../src/agent/status-report.js";
import { outputOf, runRebootScenario, stepDetail, type RebootRun } from "./helpers/reboot-vm.js";

let run: RebootRun;

describe("reboot into a pre-fetched kernel (qemu)", () => {
  beforeAll(async () => {
    run = await runRebootScenario();
  }, 3_600_000);

  it("boot 1: the lab kernel is patched and Debian's installed kernel is prepared", () => {
    const b = run.boot1;
    expect(b.outcome, b.consoleTail).toBe("completed");
    expect(outputOf(b, "kernel")).toBe(run.lab.release);
    expect(stepDetail(b, "sync"), outputOf(b, "sync")).toBe("rc=0");
    const cloudEntry = run.manifest.kernels.find((k) => k.buildId === run.cloud.buildId);
    const labEntry = run.manifest.kernels.find((k) => k.buildId === run.lab.buildId);
    expect(outputOf(b, "sync")).toContain(`applied ${labEntry?.module?.name ?? "?"}`);
    expect(outputOf(b, "sync")).toContain(
      `prepared ${run.cloud.release} (build-id ${run.cloud.buildId}) for its next boot: manifest version ${run.manifest.version}`,
    );
    const status = JSON.parse(outputOf(b, "status-json")) as StatusReport;
    expect(status.prepared).toEqual([
      expect.objectContaining({
        release: run.cloud.release,
        buildId: run.cloud.buildId,
        result: "ready",
        module: cloudEntry?.module?.name,
      }),
    ]);
    expect(outputOf(b, "status")).toMatch(/^next boot: +6\.1\.0-57-cloud-amd64 .*: ready/m);
  });

  it("boot 2: the boot unit's command makes the stored patch live with no network, before any sync", () => {
    const b = run.boot2;
    expect(b.outcome, b.consoleTail).toBe("completed");
    expect(outputOf(b, "kernel")).toBe(run.cloud.release);
    expect(outputOf(b, "command")).toBe("/usr/bin/lpctl sync --offline");
    expect(outputOf(b, "before")).not.toContain("livepatched");
    expect(stepDetail(b, "offline"), outputOf(b, "offline")).toMatch(/^rc=0 /);
    const name = run.manifest.kernels.find((k) => k.buildId === run.cloud.buildId)?.module?.name;
    expect(outputOf(b, "offline")).toContain("offline: no network");
    expect(outputOf(b, "offline")).toContain(`applied ${name ?? "?"}`);
    // Checked against the record boot 1's sync wrote when it verified the copy: no OpenPGP.
    expect(outputOf(b, "offline")).toContain(
      `against /var/lib/lpctl/kernels/${run.cloud.buildId}/verified.json: version ${run.manifest.version}`,
    );
    expect(outputOf(b, "offline")).not.toContain("verifier-loaded");
    expect(outputOf(b, "livepatch")).toBe(`${name ?? "?"} 1 0`);
    expect(outputOf(b, "after")).toContain("livepatched");
    const status = JSON.parse(outputOf(b, "status-json")) as StatusReport;
    expect(status).toMatchObject({
      kernel: { release: run.cloud.release, buildId: run.cloud.buildId },
      patchState: "applied",
      module: { name, enabled: true, transition: false },
      manifest: { version: run.manifest.version },
    });
    expect(run.applySeconds).toBeGreaterThan(0);
    process.stderr.write(
      `[reboot-vm] boot unit command: ${run.applySeconds ?? "?"} s (started at uptime ${run.startedAtUptime ?? "?"} s)\n`,
    );
  });
});
