import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { httpFetcher } from "../../../src/agent/http-fetcher.js";
import { runRevert } from "../../../src/agent/revert.js";
import { collectStatus, formatStatus } from "../../../src/agent/status.js";
import { agentDeps, LAB_BUILD_ID, LAB_RELEASE } from "./helpers/fake-host.js";
import { CVE, makeSigner, NOW, scenario, type Scenario } from "./helpers/scenario.js";

let keys: Awaited<ReturnType<typeof makeSigner>>;
let s: Scenario;
beforeAll(async () => {
  keys = await makeSigner();
});
afterEach(async () => {
  await s.close();
});

const deps = () => agentDeps(s.root, s.config, httpFetcher(s.config.source), s.loader, NOW, s.log);

describe("lpctl status and revert", () => {
  it("status before any sync: never checked", async () => {
    s = await scenario(keys);
    const r = await collectStatus(deps());
    expect(r).toMatchObject({
      schema: 1,
      kernel: { release: LAB_RELEASE, buildId: LAB_BUILD_ID, arch: "x86_64" },
      patchState: "never-checked",
      manifest: null,
      module: null,
      applied: [],
      pending: [],
      lastCheck: null,
    });
  });

  it("status after a 404: not covered, with the error", async () => {
    s = await scenario(keys);
    await s.sync().catch(() => undefined);
    const r = await collectStatus(deps());
    expect(r.patchState).toBe("not-covered");
    expect(r.lastError?.code).toBe("KERNEL_NOT_COVERED");
  });

  it("status after a sync: module state, patches, CVEs, manifest age", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a", "bb"]);
    await s.sync();
    const r = await collectStatus(deps());
    expect(r.patchState).toBe("applied");
    expect(r.module).toMatchObject({
      name: "lp_v1",
      loaded: true,
      enabled: true,
      transition: false,
    });
    expect(r.applied.map((p) => p.id)).toEqual(["a", "bb"]);
    expect(r.cves).toEqual([CVE("a"), CVE("bb")].sort());
    expect(r.manifest).toMatchObject({ version: 1, ageSeconds: 60, expired: false });
    expect(r.manifest?.signedBy).toHaveLength(1);
    expect(formatStatus(r).join("\n")).toMatch(/module: +lp_v1 loaded, enabled 1, transition 0/);
  });

  it("pending patches carry the reason: a failed sync", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.publish(2, "lp_v2", ["a", "b"]);
    s.loader.stuck = true;
    await s.sync().catch(() => undefined);
    // The stored manifest is still v1 (v2 was never accepted), so nothing is pending from it…
    let r = await collectStatus(deps());
    expect(r.patchState).toBe("applied");
    expect(r.lastError?.code).toBe("TRANSITION_TIMEOUT");
    // …but after a reboot the applied module is gone: its patches are pending.
    await s.loader.unload("lp_v1");
    r = await collectStatus(deps());
    expect(r.patchState).toBe("not-applied");
    expect(r.pending).toEqual([
      expect.objectContaining({
        id: "a",
        reason: expect.stringMatching(/last sync failed: TRANSITION_TIMEOUT/) as string,
      }),
    ]);
  });

  it("revert disables and unloads, records the opt-out; sync --force re-applies", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    expect(await runRevert(deps())).toBe("lp_v1");
    expect(await s.livepatch("lp_v1")).toBeUndefined();
    expect(s.loader.calls).toEqual(["load lp_v1", "unload lp_v1"]);
    let r = await collectStatus(deps());
    expect(r.patchState).toBe("opted-out");
    expect(r.pending[0]?.reason).toMatch(/lpctl revert/);
    expect(await s.sync()).toBe("opted-out");
    expect(s.loader.calls).toHaveLength(2);
    expect(await s.sync({ force: true })).toBe("applied");
    r = await collectStatus(deps());
    expect(r.patchState).toBe("applied");
    expect(r.optOut).toBeNull();
  });
});
