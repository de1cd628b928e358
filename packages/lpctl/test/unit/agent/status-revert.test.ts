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
  it("status before any sync: never checked, exposure unknown", async () => {
    s = await scenario(keys);
    const r = await collectStatus(deps());
    expect(r).toMatchObject({
      schema: 2,
      kernel: { release: LAB_RELEASE, buildId: LAB_BUILD_ID, arch: "x86_64" },
      check: { result: "never", at: null, error: null },
      patchState: "unknown",
      manifest: null,
      module: null,
      applied: [],
      pending: [],
      verdict: "failing",
    });
  });

  it("status after a 404: not covered, with the error", async () => {
    s = await scenario(keys);
    await s.sync().catch(() => undefined);
    const r = await collectStatus(deps());
    expect(r.patchState).toBe("not-covered");
    expect(r.check).toMatchObject({ result: "failed", error: { code: "KERNEL_NOT_COVERED" } });
    expect(r.verdict).toBe("not-covered");
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
    expect(r.check).toMatchObject({ result: "ok", error: null });
    expect(r.coveredUntil).toBe(r.manifest?.expires);
    expect(r.verdict).toBe("ok");
    const text = formatStatus(r, NOW).join("\n");
    expect(text).toMatch(/module: +lp_v1 loaded, enabled 1, transition 0/);
    expect(text).toMatch(/covered until: \S+ \(in \d+d\)/);
  });

  it("a failed first apply: apply-failed, the manifest kept, every CVE pending and exposed", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a", "bb"]);
    s.loader.stuck = true;
    await s.sync().catch(() => undefined);
    const r = await collectStatus(deps());
    expect(r.patchState).toBe("apply-failed");
    expect(r.check).toMatchObject({ result: "failed", error: { code: "TRANSITION_TIMEOUT" } });
    expect(r.applyError).toMatchObject({ module: "lp_v1", code: "TRANSITION_TIMEOUT" });
    expect(r.manifest?.version).toBe(1);
    expect(r.applied).toEqual([]);
    expect(r.pending.map((p) => p.id)).toEqual(["a", "bb"]);
    expect(r.pending[0]?.reason).toMatch(/^applying lp_v1 failed at .*TRANSITION_TIMEOUT/);
    expect(r.exposed).toEqual([CVE("a"), CVE("bb")].sort());
    expect(r.verdict).toBe("failing");
    const text = formatStatus(r, NOW).join("\n");
    expect(text).toMatch(/exposed to: +CVE-/);
    expect(text).toMatch(/^apply error: +lp_v1: TRANSITION_TIMEOUT: /m);
    expect(text).not.toMatch(/^check error:/m);
    // Fixed: the next sync applies it and clears the failure.
    s.loader.stuck = false;
    expect(await s.sync()).toBe("applied");
    const after = await collectStatus(deps());
    expect(after).toMatchObject({ patchState: "applied", applyError: null, pending: [] });
  });

  it("a refused check is reported as refused even while the last good patch stays live", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.publish(2, "lp_v2", ["a"], { signer: (await makeSigner("stranger")).signer });
    await s.sync().catch(() => undefined);
    const r = await collectStatus(deps());
    expect(r.patchState).toBe("applied");
    expect(r.check.result).toBe("refused");
    expect(r.verdict).toBe("refused");
  });

  it("an expired manifest: covered-until lies in the past and status is failing", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    const later = new Date(NOW.getTime() + 400 * 86_400_000);
    const r = await collectStatus(
      agentDeps(s.root, s.config, httpFetcher(s.config.source), s.loader, later, s.log),
    );
    expect(r.manifest?.expired).toBe(true);
    expect(r.verdict).toBe("failing");
    expect(formatStatus(r, later).join("\n")).toMatch(/covered until: \S+ \(ended \d+d ago\)/);
  });

  it("pending patches carry the reason: a failed sync", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.publish(2, "lp_v2", ["a", "b"]);
    s.loader.stuck = true;
    await s.sync().catch(() => undefined);
    // v2 was verified, so it is what the host should run: its new patch is pending…
    let r = await collectStatus(deps());
    expect(r.manifest?.version).toBe(2);
    expect(r.patchState).toBe("apply-failed");
    expect(r.module?.name).toBe("lp_v1");
    expect(r.applied.map((p) => p.id)).toEqual(["a"]);
    expect(r.pending).toEqual([
      expect.objectContaining({
        id: "b",
        reason: expect.stringMatching(/applying lp_v2 failed .*TRANSITION_TIMEOUT/) as string,
      }),
    ]);
    // …and after a reboot the applied module is gone too: all of them are.
    await s.loader.unload("lp_v1");
    r = await collectStatus(deps());
    expect(r.pending.map((p) => p.id)).toEqual(["a", "b"]);
    expect(r.exposed).toEqual([CVE("a")]); // CVE() of "a" and "b" is the same id
  });

  it("a module gone after a reboot, with a good last check: not-applied", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.loader.unload("lp_v1");
    const r = await collectStatus(deps());
    expect(r.patchState).toBe("not-applied");
    expect(r.pending[0]?.reason).toMatch(/lp_v1 is not loaded/);
    expect(r.verdict).toBe("failing");
  });

  it("revert disables and unloads, records the opt-out; sync --force re-applies", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    expect(await runRevert(deps())).toBe("lp_v1");
    expect(await s.livepatch("lp_v1")).toBeUndefined();
    expect(s.loader.calls).toEqual(["load lp_v1", "unload lp_v1"]);
    let r = await collectStatus(deps());
    expect(r.patchState).toBe("reverted");
    expect(r.pending[0]?.reason).toMatch(/lpctl revert/);
    expect(await s.sync()).toBe("opted-out");
    expect(s.loader.calls).toHaveLength(2);
    expect(await s.sync({ force: true })).toBe("applied");
    r = await collectStatus(deps());
    expect(r.patchState).toBe("applied");
    expect(r.optOut).toBeNull();
  });
});
