import { describe, expect, it } from "vitest";
import { Work } from "../../src/work.js";

/** A promise and the function that settles it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe("Work", () => {
  it("runs one key's tasks in order and other keys alongside", async () => {
    const work = new Work();
    const log: string[] = [];
    const first = gate();
    const a1 = work.run("pr#1", async () => {
      await first.promise;
      log.push("pr1 opened");
    });
    const a2 = work.run("pr#1", () => Promise.resolve(log.push("pr1 synchronize")));
    const b = work.run("pr#2", () => Promise.resolve(log.push("pr2 opened")));
    await b;
    expect(log).toEqual(["pr2 opened"]);
    expect(work.size).toBeGreaterThan(0);
    first.open();
    await Promise.all([a1, a2]);
    expect(log).toEqual(["pr2 opened", "pr1 opened", "pr1 synchronize"]);
  });

  it("idle() waits for failures and for work queued while waiting", async () => {
    const work = new Work();
    const done: string[] = [];
    const failing = work.run("k", () => Promise.reject(new TypeError("boom")));
    void work.run("k", async () => {
      void work.run("later", () => Promise.resolve(done.push("later")));
      await Promise.resolve();
      done.push("after failure");
    });
    await expect(failing).rejects.toThrow("boom");
    await work.idle();
    expect(done.sort()).toEqual(["after failure", "later"]);
    expect(work.size).toBe(0);
  });
});
