/**
 * Attack: the webhook signature covers the body only, so a captured
 * delivery replayed under a new X-GitHub-Delivery passed the signature
 * check and re-ran its handler. Fed through probot.receive.
 */
import { describe, expect, it } from "vitest";
import { pullRequestEvent } from "./helpers/payloads.js";
import { scenario } from "./helpers/scenario.js";

const TOUCH = {
  "patches/cmdline-banner/patch.yaml":
    "title: Mark /proc/cmdline as live-patched\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab]\n",
};

describe("a replayed delivery", () => {
  it("the same payload under a new delivery id is dropped before any handler runs", async () => {
    const { s, openPr, receive, clock } = await scenario();
    const pr = await openPr(TOUCH);
    const event = pullRequestEvent("synchronize", pr);
    await receive("pull_request", event, "original");
    s.requests.length = 0;
    for (let i = 0; i < 5; i++)
      await receive("pull_request", structuredClone(event), `replay-${i}`);
    expect(s.requests).toEqual([]);
    // A redelivery keeps its id: it is the work of the one delivery, which ran already.
    await receive("pull_request", structuredClone(event), "original");
    expect(s.requests).toEqual([]);
    // A different payload is a different event.
    await receive("pull_request", pullRequestEvent("reopened", pr), "another");
    expect(s.requests.length).toBeGreaterThan(0);
    // Past the window the handler runs again (and is idempotent on its own).
    s.requests.length = 0;
    clock.now = new Date(clock.now.getTime() + 2 * 3_600_000);
    await receive("pull_request", structuredClone(event), "replay-late");
    expect(s.requests.some((r) => r.startsWith("GET"))).toBe(true);
    expect(s.requests.filter((r) => !r.startsWith("GET"))).toEqual([]);
  });
});
