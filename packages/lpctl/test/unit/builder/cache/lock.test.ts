import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireLock, type LockDeps } from "../../../../src/builder/cache/lock.js";

const dir = () => mkdtempSync(join(tmpdir(), "lpctl-lock-"));
const deps = (alive: (pid: number) => boolean): LockDeps => ({
  pid: 4242,
  isAlive: alive,
  sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))),
});

describe("acquireLock", () => {
  it("serializes two concurrent acquirers in one process", async () => {
    const path = join(dir(), "k.lock");
    const d = deps(() => true);
    const order: string[] = [];
    const worker = async (name: string) => {
      const lock = await acquireLock(path, d, { pollMs: 1 });
      order.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 20));
      order.push(`${name} out`);
      await lock.release();
    };
    await Promise.all([worker("a"), worker("b")]);
    // Never both inside: each "in" is followed by its own "out".
    expect(order).toHaveLength(4);
    expect(order[0]?.split(" ")[0]).toBe(order[1]?.split(" ")[0]);
    expect(order[2]?.split(" ")[0]).toBe(order[3]?.split(" ")[0]);
    expect(existsSync(path)).toBe(false);
  });

  it("writes the owner's pid into the lock file", async () => {
    const path = join(dir(), "k.lock");
    const lock = await acquireLock(
      path,
      deps(() => true),
    );
    expect(readFileSync(path, "utf8")).toMatch(/^4242:/);
    await lock.release();
  });

  it("takes over a lock left by a dead process", async () => {
    const path = join(dir(), "k.lock");
    writeFileSync(path, "999999:1\n");
    const lock = await acquireLock(
      path,
      deps((pid) => pid !== 999999),
      { timeoutMs: 1000 },
    );
    expect(readFileSync(path, "utf8")).toMatch(/^4242:/);
    await lock.release();
  });

  it("tells the caller it waits, then gives up with CACHE_LOCKED", async () => {
    const path = join(dir(), "k.lock");
    writeFileSync(path, "777:1\n");
    const waited: number[] = [];
    await expect(
      acquireLock(
        path,
        deps(() => true),
        { timeoutMs: 30, pollMs: 5, onWait: (p) => waited.push(p) },
      ),
    ).rejects.toMatchObject({ code: "CACHE_LOCKED" });
    expect(waited).toEqual([777]);
    expect(readFileSync(path, "utf8")).toBe("777:1\n");
  });

  it("does not remove a lock someone else holds when releasing twice", async () => {
    const path = join(dir(), "k.lock");
    const a = await acquireLock(
      path,
      deps(() => true),
    );
    await a.release();
    const b = await acquireLock(
      path,
      deps(() => true),
    );
    await a.release();
    expect(existsSync(path)).toBe(true);
    await b.release();
  });

  it("is not stale while a recorded child of the dead owner still runs", async () => {
    const path = join(dir(), "k.lock");
    const owner = await acquireLock(
      path,
      deps(() => true),
    );
    owner.addPid(5555);
    expect(readFileSync(path, "utf8")).toMatch(/^4242:[0-9a-f]+\n5555\n$/);
    // The owner (4242 in the file) is gone, its kpatch-build child 5555 is not.
    const other = { ...deps((pid) => pid === 5555), pid: 4343 };
    await expect(acquireLock(path, other, { timeoutMs: 30, pollMs: 5 })).rejects.toMatchObject({
      code: "CACHE_LOCKED",
    });
    const taken = await acquireLock(path, { ...deps(() => false), pid: 4343 }, { timeoutMs: 1000 });
    expect(readFileSync(path, "utf8")).toMatch(/^4343:/);
    await taken.release();
  });
});
