import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { isLpctlError } from "../../../src/core/errors.js";
import { makeSigner, scenario, type Scenario } from "./helpers/scenario.js";

let keys: Awaited<ReturnType<typeof makeSigner>>;
let s: Scenario;
beforeAll(async () => {
  keys = await makeSigner();
});
afterEach(async () => {
  await s.close();
});

describe("lpctl sync: live patch transition", () => {
  it("a stuck transition is signalled, then reverted and unloaded: TRANSITION_TIMEOUT", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.publish(2, "lp_v2", ["a", "b"]);
    s.loader.stuck = true;
    const err = await s.sync().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLpctlError(err, "TRANSITION_TIMEOUT")).toBe(true);
    expect(s.log.some((l) => l.includes("signalled the blocking tasks"))).toBe(true);
    expect(s.log.some((l) => l.includes("reverting it"))).toBe(true);
    expect(s.loader.calls).toEqual(["load lp_v1", "load lp_v2", "unload lp_v2"]);
    // The old cumulative patch is still the one in effect, and still recorded.
    expect(await s.livepatch("lp_v1")).toBe("1");
    expect(await s.livepatch("lp_v2")).toBeUndefined();
    const st = await s.state();
    expect(st.applied?.name).toBe("lp_v1");
    // v2 was verified: it is kept, with the failed apply, so status lists what is not live.
    expect(st.manifest?.version).toBe(2);
    expect(st.lastError?.code).toBe("TRANSITION_TIMEOUT");
    expect(st.failedApply).toMatchObject({ name: "lp_v2", manifestVersion: 2 });
    // The next sync, with the transition no longer stuck, completes.
    s.loader.stuck = false;
    expect(await s.sync()).toBe("applied");
    expect((await s.state()).lastError).toBeUndefined();
    expect((await s.state()).failedApply).toBeUndefined();
  });

  it("writes 1 to signal during a stuck transition", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    s.loader.stuck = true;
    const signalled: string[] = [];
    const orig = s.loader.unload.bind(s.loader);
    s.loader.unload = async (name) => {
      signalled.push(
        await readFile(path.join(s.root, "sys/kernel/livepatch", name, "signal"), "utf8"),
      );
      await orig(name);
    };
    await s.sync().catch(() => undefined);
    expect(signalled).toEqual(["1\n"]);
  });

  it("a kernel without the signal file (Linux 6.1) signals by itself: the agent does not fail on it", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    s.loader.stuck = true;
    s.loader.signalFile = false;
    const err = await s.sync().then(
      () => undefined,
      (e: unknown) => e,
    );
    // The timeout is what ends the run, not a failed write to a missing file.
    expect(isLpctlError(err, "TRANSITION_TIMEOUT")).toBe(true);
    expect(s.log).toContain(
      "lp_v1: transition still running after 0.1s; the kernel signals the blocking tasks itself",
    );
    expect(s.loader.calls).toEqual(["load lp_v1", "unload lp_v1"]);
  });

  it("waits for the replaced patch's sysfs entry to be freed before unloading it", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.publish(2, "lp_v2", ["a", "b"]);
    s.loader.lingerMs = 300;
    expect(await s.sync()).toBe("applied");
    expect(s.log.some((l) => l.includes("still registered"))).toBe(false);
    expect(s.loader.calls).toEqual(["load lp_v1", "load lp_v2", "unload lp_v1"]);
    expect(await s.livepatch("lp_v1")).toBeUndefined();
  });
});
