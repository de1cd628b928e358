import { describe, expect, it } from "vitest";
import { Faults } from "../../src/http/faults.js";

describe("Faults", () => {
  it("matches an operation path or a regex, by method, a given number of times", () => {
    const f = new Faults();
    f.set({ route: "/repos/{owner}/{repo}", method: "GET", status: 502, times: 2 });
    f.set({ route: /\/releases$/, status: 503, times: 1 });
    expect(f.take("POST", "/repos/{owner}/{repo}", "/repos/a/b")).toBeUndefined();
    expect(f.take("GET", "/repos/{owner}/{repo}", "/repos/a/b")?.status).toBe(502);
    expect(f.take("GET", "/repos/{owner}/{repo}", "/repos/a/b")?.status).toBe(502);
    expect(f.take("GET", "/repos/{owner}/{repo}", "/repos/a/b")).toBeUndefined();
    expect(f.take("POST", "/repos/{owner}/{repo}/releases", "/repos/a/b/releases")?.status).toBe(
      503,
    );
  });

  it("rate limits carry x-ratelimit-remaining: 0 and retry-after", () => {
    const f = new Faults();
    f.set({ route: "/x", status: 403, times: 1, rateLimit: true });
    const e = f.take("GET", "/x", "/x");
    expect(e?.headers).toMatchObject({ "x-ratelimit-remaining": "0", "retry-after": "1" });
    expect(e?.body.message).toMatch(/rate limit/);
  });
});
