/**
 * Attack: the webhook signature covers the body only, so a captured
 * delivery replayed under a new X-GitHub-Delivery passed the signature
 * check and re-ran its handler. The forge's real delivery, captured and
 * posted again, signed, to the app's webhook URL.
 */
import { systemClock } from "@livepatch-gitops/lpctl/io/clock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { patchesApp, type PatchesApp } from "./helpers/patches-app.js";

const TOUCH = {
  "patches/cmdline-banner/patch.yaml":
    "title: Mark /proc/cmdline as live-patched\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab]\n",
};

const clock = { now: new Date() };
let t: PatchesApp;
beforeAll(async () => {
  t = await patchesApp({ deps: { clock: { ...systemClock, now: () => clock.now } } });
});
afterAll(() => t.stop());

describe("a replayed delivery", () => {
  it("the same payload under a new delivery id is dropped before any handler runs", async () => {
    const pr = await t.openPatchPr(TOUCH);
    const opened = (await t.forge.deliveries()).find(
      (d) => d.event === "pull_request" && d.action === "opened",
    );
    if (!opened) throw new Error("the forge delivered no pull_request.opened");
    const body = JSON.stringify(opened.payload);
    t.requests.length = 0;
    for (let i = 0; i < 5; i++)
      expect(await t.deliver("pull_request", body, `replay-${i}`)).toBe(200);
    expect(t.requests).toEqual([]);
    // A redelivery keeps its id: it is the work of the one delivery, which ran already.
    await t.deliver("pull_request", body, opened.guid);
    expect(t.requests).toEqual([]);
    // A different payload is a different event.
    const reopened = { ...(opened.payload as object), action: "reopened" };
    await t.deliver("pull_request", JSON.stringify(reopened), "another");
    expect(t.requests.length).toBeGreaterThan(0);
    // Past the window the handler runs again (and is idempotent on its own).
    t.requests.length = 0;
    clock.now = new Date(clock.now.getTime() + 2 * 3_600_000);
    await t.deliver("pull_request", body, "replay-late");
    expect(t.requests.some((r) => r.startsWith("GET"))).toBe(true);
    expect(t.requests.filter((r) => !r.startsWith("GET"))).toEqual([]);
    expect((await t.checks(pr.head)).length).toBeGreaterThan(0);
  });
});
