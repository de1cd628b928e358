import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildStatusReport } from "../../../src/agent/status-report.js";
import { formatStatus } from "../../../src/agent/status.js";
import type { ManifestWithdrawn } from "../../../src/core/manifest.js";
import { LAB_BUILD_ID, LAB_RELEASE } from "./helpers/fake-host.js";
import { code, CVE, makeSigner, NOW, scenario, type Scenario } from "./helpers/scenario.js";

let keys: Awaited<ReturnType<typeof makeSigner>>;
let s: Scenario;
beforeAll(async () => {
  keys = await makeSigner();
});
afterEach(async () => {
  await s.close();
});

const BAD: ManifestWithdrawn = {
  id: "a",
  title: "fix a",
  cves: [CVE("a")],
  reason: "oopses under load",
  version: 2,
};
const id = { release: LAB_RELEASE, buildId: LAB_BUILD_ID, arch: "x86_64" };

describe("lpctl sync: a withdrawn module", () => {
  it("an entry without a module unloads the live one, records it, and status says why", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    expect(await s.sync()).toBe("applied");
    await s.withdraw(2, [BAD]);
    expect(await s.sync()).toBe("withdrawn");
    expect(await s.livepatch("lp_v1")).toBeUndefined();
    expect(s.loader.calls).toEqual(["load lp_v1", "unload lp_v1"]);
    expect(await readdir(path.join(s.root, "var/lib/lpctl/modules"))).toEqual([]);
    const st = await s.state();
    expect(st.applied).toBeUndefined();
    expect(st.withdrawal).toEqual({ name: "lp_v1", version: 2, at: NOW.toISOString() });
    expect(
      s.log.some((l) => l.includes("withdrawn: unloaded lp_v1") && l.includes(BAD.reason)),
    ).toBe(true);
    const report = buildStatusReport(st, id, undefined, NOW);
    expect(report.patchState).toBe("withdrawn");
    expect(report.verdict).toBe("ok");
    expect(report.withdrawn).toEqual([BAD]);
    expect(report.withdrawal).toMatchObject({ module: "lp_v1", version: 2 });
    expect(formatStatus(report, NOW)).toContain(
      `withdrawn:     a ${CVE("a")} — withdrawn in version 2: oopses under load`,
    );
    // Next check: nothing left to unload, nothing reloaded.
    expect(await s.sync()).toBe("nothing-to-apply");
    expect(s.loader.calls).toHaveLength(2);
    expect((await s.state()).withdrawal?.version).toBe(2);
  });

  it("a replayed older manifest that still had the module is refused (rollback)", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    const v1 = s.mirrorDir;
    await s.sync();
    await s.withdraw(2, [BAD]);
    await s.sync();
    s.serve(v1);
    expect(await code(s.sync())).toBe("MANIFEST_ROLLBACK");
    expect(await s.livepatch("lp_v1")).toBeUndefined();
    expect(s.loader.calls).toEqual(["load lp_v1", "unload lp_v1"]);
    const st = await s.state();
    expect(st.manifest?.version).toBe(2);
    expect(st.lastError?.code).toBe("MANIFEST_ROLLBACK");
    expect(await readdir(path.join(s.root, "var/lib/lpctl/modules"))).not.toContain("lp_v2.ko");
  });

  it("a new module without a patch replaces the old one; status names what left", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a", "b"]);
    await s.sync();
    await s.publish(2, "lp_v2", ["b"], { withdrawn: [BAD] });
    expect(await s.sync()).toBe("applied");
    expect(s.loader.calls).toEqual(["load lp_v1", "load lp_v2", "unload lp_v1"]);
    const st = await s.state();
    const report = buildStatusReport(
      st,
      id,
      { loaded: true, patch: { enabled: true, transition: false } },
      NOW,
    );
    expect(report.patchState).toBe("applied");
    expect(report.applied.map((p) => p.id)).toEqual(["b"]);
    expect(report.withdrawn.map((w) => `${w.id}@${w.version}`)).toEqual(["a@2"]);
  });

  it("a fresh host given an entry without a module has nothing to apply", async () => {
    s = await scenario(keys);
    await s.withdraw(3, [{ ...BAD, version: 3 }]);
    expect(await s.sync()).toBe("nothing-to-apply");
    expect(s.loader.calls).toEqual([]);
    const report = buildStatusReport(await s.state(), id, undefined, NOW);
    expect(report.patchState).toBe("withdrawn");
    expect(report.withdrawal).toBeNull();
  });
});
