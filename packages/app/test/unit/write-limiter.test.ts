import { describe, expect, it } from "vitest";
import { appOctokit, withWritePace } from "../../src/octokit.js";
import { WriteLimiter, writeDelay } from "../../src/write-limiter.js";
import type { Clock } from "@livepatch-gitops/lpctl/io/clock";

const pace = {
  gapMs: 200,
  windows: [
    { max: 3, ms: 60_000 },
    { max: 5, ms: 3_600_000 },
  ],
};

/** A clock whose sleep moves time on at once, recording each wait. */
function fakeClock(): Clock & { waits: number[]; t: number } {
  const c = {
    t: 1_000_000,
    waits: [] as number[],
    now: () => new Date(c.t),
    monotonicMs: () => c.t,
    sleep: (ms: number) => {
      c.waits.push(ms);
      c.t += ms;
      return Promise.resolve();
    },
  };
  return c;
}

describe("writeDelay", () => {
  it("lets the first write go at once", () => {
    expect(writeDelay([], 5, pace)).toBe(0);
  });
  it("keeps the gap after the last write", () => {
    expect(writeDelay([1000], 1050, pace)).toBe(150);
    expect(writeDelay([1000], 1300, pace)).toBe(0);
  });
  it("waits for the oldest write to leave a full window", () => {
    expect(writeDelay([0, 1000, 2000], 30_000, pace)).toBe(30_000);
    // Writes older than the window do not count.
    expect(writeDelay([0, 1000, 2000], 60_500, pace)).toBe(0);
  });
  it("keeps every window: five an hour waits for the hour's oldest", () => {
    expect(writeDelay([0, 100_000, 200_000, 300_000, 400_000], 500_000, pace)).toBe(3_100_000);
  });
});

describe("WriteLimiter", () => {
  it("spaces one installation's writes and caps them per window; retries pass", async () => {
    const clock = fakeClock();
    const limiter = new WriteLimiter(pace, clock);
    const order: string[] = [];
    const job = (name: string) => () => order.push(name);
    await Promise.all([
      limiter.key("1").schedule({}, job("a")),
      limiter.key("1").schedule({}, job("b")),
      limiter.key("2").schedule({}, job("other installation")),
      limiter.key("1").schedule({}, job("c")),
      limiter.key("1").schedule({ priority: 0, weight: 0 }, job("retry")),
    ]);
    // Another installation and a retry do not queue behind installation 1's writes.
    expect(order.indexOf("other installation")).toBeLessThan(order.indexOf("b"));
    expect(order.indexOf("retry")).toBeLessThan(order.indexOf("b"));
    expect(order.filter((n) => ["a", "b", "c"].includes(n))).toEqual(["a", "b", "c"]);
    // b and c each waited for the gap; installation 2 waited for nothing.
    expect(clock.waits).toEqual([200, 200]);
    await limiter.key("1").schedule({}, job("d"));
    // The fourth write in the minute waits for the first to leave the window.
    expect(clock.waits).toEqual([200, 200, 60_000 - 400]);
  });
});

describe("withWritePace", () => {
  const write = new WriteLimiter();
  it("adds the write pace to enabled throttling", () => {
    expect(withWritePace({ enabled: true }, write)?.write).toBe(write);
    expect(withWritePace({}, write)?.write).toBe(write);
  });
  it("leaves disabled or clustered throttling alone", () => {
    expect(withWritePace({ enabled: false }, write)).toEqual({ enabled: false });
    expect(withWritePace({ connection: {} }, write)).toEqual({ connection: {} });
    expect(withWritePace(undefined, write)).toBeUndefined();
  });
});

describe("appOctokit", () => {
  it("routes the throttling plugin's writes through the limiter, reads not", async () => {
    const clock = fakeClock();
    const limiter = new WriteLimiter(pace, clock);
    const seen: string[] = [];
    const fetch = (url: string, init?: RequestInit) => {
      seen.push(`${init?.method ?? "GET"} ${new URL(url).pathname}`);
      return Promise.resolve(
        new Response("{}", { status: 200, headers: { "content-type": "application/json" } }),
      );
    };
    const Octokit = appOctokit(limiter);
    const octokit = new Octokit({
      auth: { token: "t" },
      request: { fetch },
      throttle: { onRateLimit: () => false, onSecondaryRateLimit: () => false },
      retry: { enabled: false },
    });
    await octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" });
    const check = { owner: "o", repo: "r", name: "c", head_sha: "a".repeat(40) };
    await octokit.request("POST /repos/{owner}/{repo}/check-runs", check);
    await octokit.request("POST /repos/{owner}/{repo}/check-runs", check);
    expect(seen).toHaveLength(3);
    // Only the second write waited, and for this limiter's gap, not the plugin's second.
    expect(clock.waits).toEqual([200]);
  });
});
