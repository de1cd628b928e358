import { describe, expect, it } from "vitest";
import { doneLine, summaryTable, Timeline } from "../../src/timeline.js";

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { out: { write: (s: string) => chunks.push(s), isTTY }, text: () => chunks.join("") };
}

describe("demo timeline", () => {
  it("formats a finished step with where it ended, its duration and any error", () => {
    expect(doneLine({ title: "push", ok: true, seconds: 4.25, atSeconds: 12.34 })).toBe(
      "[  12.3s] ✓ push (4.3 s)",
    );
    expect(
      doneLine({ title: "sync", ok: false, seconds: 1, atSeconds: 100, error: "exit 1" }),
    ).toBe("[ 100.0s] ✗ sync (1.0 s): exit 1");
  });

  it("summarises every step and says FAILED when one failed", () => {
    const rows = summaryTable(
      [
        { title: "a", ok: true, seconds: 1, atSeconds: 1 },
        { title: "longer step", ok: false, seconds: 2.5, atSeconds: 3.5 },
      ],
      3.5,
    );
    expect(rows[0]).toBe("  step          seconds  result");
    expect(rows[2]).toBe("  a                 1.0  ok");
    expect(rows[3]).toBe("  longer step       2.5  FAILED");
    expect(rows[4]).toBe("  total             3.5  FAILED");
  });

  it("writes plain lines without a terminal: start, details, notes, result", async () => {
    const c = capture(false);
    const t = new Timeline(c.out);
    const v = await t.step("build", (h) => {
      h.detail("plan ✓");
      h.detail("plan ✓"); // repeated details print once
      h.note("release v1");
      return Promise.resolve(7);
    });
    expect(v).toBe(7);
    const lines = c.text().trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\[ +\d+\.\ds\] … build$/);
    expect(lines[1]).toBe("           plan ✓");
    expect(lines[2]).toBe("           release v1");
    expect(lines[3]).toMatch(/✓ build \(\d+\.\d s\)$/);
    expect(c.text()).not.toContain("\u001b");
    expect(t.results).toEqual([expect.objectContaining({ title: "build", ok: true })]);
  });

  it("records a failing step, prints why, and rethrows", async () => {
    const c = capture(true);
    const t = new Timeline(c.out);
    await expect(
      t.step("merge", () => Promise.reject(new Error("HTTP 405\nmore"))),
    ).rejects.toThrow("HTTP 405");
    expect(c.text()).toMatch(/✗ merge \(\d+\.\d s\): HTTP 405\n$/);
    expect(t.results[0]).toMatchObject({ ok: false, error: "HTTP 405" });
  });

  it("on a terminal, notes follow the step's result line, after the spinner is cleared", async () => {
    const c = capture(true);
    const t = new Timeline(c.out);
    await t.step("boot", async (h) => {
      h.note("host$ lpctl status");
      await new Promise((r) => setTimeout(r, 250));
    });
    const text = c.text();
    expect(text).toContain("\r\u001b[2K⠋ boot");
    expect(text.indexOf("✓ boot")).toBeLessThan(text.indexOf("host$ lpctl status"));
  });
});
