import { readdir, writeFile } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { httpFetcher } from "../../../src/agent/http-fetcher.js";
import { syncSteps } from "../../../src/agent/sync-steps.js";
import { agentDeps } from "./helpers/fake-host.js";
import { CVE, makeSigner, NOW, scenario, type Scenario } from "./helpers/scenario.js";

let keys: Awaited<ReturnType<typeof makeSigner>>;
let s: Scenario;
beforeAll(async () => {
  keys = await makeSigner();
});
afterEach(async () => {
  await s.close();
});

describe("lpctl sync: applying", () => {
  it("first install: verifies, downloads, loads, records state", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["cmdline-banner"]);
    expect(await s.sync()).toBe("applied");
    expect(await s.livepatch("lp_v1")).toBe("1");
    const st = await s.state();
    expect(st.manifest?.version).toBe(1);
    expect(st.manifest?.etag).toMatch(/^"/);
    expect(st.applied).toMatchObject({ name: "lp_v1", file: "lp_v1.ko", version: 1 });
    expect(st.applied?.patches[0]?.cves).toEqual([CVE("cmdline-banner")]);
    expect(st.lastError).toBeUndefined();
    expect(await readdir(path.join(s.root, "var/lib/lpctl/modules"))).toEqual(["lp_v1.ko"]);
    expect(s.log).toContain(`applied lp_v1 (1 patch, ${CVE("cmdline-banner")})`);
    // Requests went through the release-style redirect to storage.
    expect(s.server.requests.some((r) => r.startsWith("GET /storage/kernel-"))).toBe(true);
  });

  it("no change: one 304 for the manifest and no other request, nothing reloaded", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    const before = s.server.requests.length;
    const loads = s.loader.calls.length;
    expect(await s.sync()).toBe("already-applied");
    // One logical request, a redirect hop plus a GET on storage: the
    // conditional manifest (304). Key lists are looked for only when a
    // manifest changed (sync-key-hint.test.ts).
    const made = s.server.requests.slice(before);
    expect(made.filter((r) => r.startsWith("GET /download/"))).toHaveLength(1);
    expect(made.filter((r) => r.startsWith("GET /storage/"))).toEqual([
      expect.stringMatching(/^GET \/storage\/kernel-[0-9a-f]+\.json/),
    ]);
    expect(s.loader.calls.length).toBe(loads);
    expect(s.log.some((l) => /checked kernel-[0-9a-f]+\.json: 304 not modified/.test(l))).toBe(
      true,
    );
  });

  it("new version replaces the old module live, then unloads and deletes it", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.publish(2, "lp_v2", ["a", "b"]);
    expect(await s.sync()).toBe("applied");
    expect(await s.livepatch("lp_v2")).toBe("1");
    expect(await s.livepatch("lp_v1")).toBeUndefined();
    expect(s.loader.calls).toEqual(["load lp_v1", "load lp_v2", "unload lp_v1"]);
    expect(await readdir(path.join(s.root, "var/lib/lpctl/modules"))).toEqual(["lp_v2.ko"]);
    const st = await s.state();
    expect(st.applied?.patches.map((p) => p.id)).toEqual(["a", "b"]);
    expect(st.manifest?.version).toBe(2);
  });

  it("crash between download and state write: state stays consistent, next run completes", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    const good = await s.state();
    await s.publish(2, "lp_v2", ["a", "b"]);
    // Run the steps but die before the lock release and the state write.
    const deps = agentDeps(s.root, s.config, httpFetcher(s.config.source), s.loader, NOW, s.log);
    await syncSteps(deps, good, NOW, false);
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    await writeFile(path.join(s.root, "var/lib/lpctl/sync.lock"), `${dead}\n`);
    await writeFile(path.join(s.root, "var/lib/lpctl/modules/.lp_v3.ko.999.part"), "partial");
    await writeFile(path.join(s.root, "var/lib/lpctl/modules/.lp_v3.ko.tmp-999-0a0b"), "partial");
    expect(await s.state()).toEqual(good);
    // The next run takes the stale lock over and finishes the job.
    expect(await s.sync()).toBe("already-applied");
    const st = await s.state();
    expect(st.manifest?.version).toBe(2);
    expect(st.applied?.name).toBe("lp_v2");
    expect(s.loader.calls.at(-1)).toBe("unload lp_v1");
    expect(await readdir(path.join(s.root, "var/lib/lpctl/modules"))).toEqual(["lp_v2.ko"]);
  });

  it("concurrent syncs: the second gets SYNC_LOCKED", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    const results = await Promise.allSettled([s.sync(), s.sync()]);
    const codes = results.map((r) =>
      r.status === "fulfilled" ? r.value : (r.reason as { code: string }).code,
    );
    expect(codes.sort()).toEqual(["SYNC_LOCKED", "applied"]);
  });

  it("after a reboot (module gone, manifest unchanged) re-applies from the stored module", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.loader.unload("lp_v1");
    const before = s.server.requests.length;
    expect(await s.sync()).toBe("applied");
    expect(
      s.server.requests
        .slice(before)
        .filter((r) => r.startsWith("GET /storage/") && !r.startsWith("GET /storage/keys-")),
    ).toHaveLength(1);
    expect(await s.livepatch("lp_v1")).toBe("1");
  });

  it("a manifest without an entry for this kernel: nothing to apply, state recorded", async () => {
    s = await scenario(keys);
    // The build-id's file exists but its entry names another release.
    await s.publish(1, "lp_v1", ["a"], { release: "6.1.999" });
    expect(await s.sync()).toBe("nothing-to-apply");
    expect(s.loader.calls).toEqual([]);
    const st = await s.state();
    expect(st.manifest).toMatchObject({ version: 1, entry: null });
    expect(st.applied).toBeUndefined();
  });
});
