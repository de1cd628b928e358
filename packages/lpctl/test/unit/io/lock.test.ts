import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LpctlError } from "../../../src/core/errors.js";
import { acquireLock, type AcquireOptions, type LockDeps } from "../../../src/io/lock.js";

const dir = () => mkdtempSync(join(tmpdir(), "lpctl-io-lock-"));
const deps = (alive: (pid: number) => boolean, pid = 4242): LockDeps => ({
  pid,
  isAlive: alive,
  sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))),
  now: () => Date.now(),
});
const noWait: AcquireOptions = {
  timeoutMs: 0,
  busy: (pid) => new LpctlError("SYNC_LOCKED", `held by ${pid ?? "?"}`, { details: { pid } }),
};

describe("io acquireLock: the empty-file rule", () => {
  it("a fresh empty lock is an owner still writing it: busy, and left alone", async () => {
    const path = join(dir(), "x.lock");
    writeFileSync(path, "");
    await expect(
      acquireLock(
        path,
        noWait,
        deps(() => false),
      ),
    ).rejects.toMatchObject({
      code: "SYNC_LOCKED",
      details: { pid: undefined },
    });
    expect(readFileSync(path, "utf8")).toBe("");
  });

  it("an empty lock older than the grace is a crashed owner's: taken over", async () => {
    const path = join(dir(), "x.lock");
    writeFileSync(path, "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    const lock = await acquireLock(
      path,
      noWait,
      deps(() => false),
    );
    expect(readFileSync(path, "utf8")).toMatch(/^4242:[0-9a-f]{12}\n$/);
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });
});

describe("io acquireLock: stale takeover", () => {
  it("re-checks under the guard: a lock replaced after it was judged stale is not removed", async () => {
    const path = join(dir(), "x.lock");
    writeFileSync(path, "999999:dead\n");
    // While this contender judges 999999 dead, another one takes the lock over.
    const racing = deps((pid) => {
      if (pid === 999999 && readFileSync(path, "utf8").startsWith("999999")) {
        rmSync(path);
        writeFileSync(path, "5151:other\n");
      }
      return pid === 5151;
    });
    await expect(acquireLock(path, noWait, racing)).rejects.toMatchObject({
      code: "SYNC_LOCKED",
      details: { pid: 5151 },
    });
    expect(readFileSync(path, "utf8")).toBe("5151:other\n");
    expect(existsSync(`${path}.takeover`)).toBe(false);
  });

  it("clears a takeover guard a crashed contender left behind, by age", async () => {
    const path = join(dir(), "x.lock");
    writeFileSync(path, "999999:dead\n");
    writeFileSync(`${path}.takeover`, "999998\n");
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${path}.takeover`, old, old);
    const lock = await acquireLock(
      path,
      noWait,
      deps(() => false),
    );
    expect(readFileSync(path, "utf8")).toMatch(/^4242:/);
    await lock.release();
  });

  it("reads the agent's old lock format (a bare pid)", async () => {
    const path = join(dir(), "x.lock");
    writeFileSync(path, "777\n");
    await expect(
      acquireLock(
        path,
        noWait,
        deps((p) => p === 777),
      ),
    ).rejects.toMatchObject({
      details: { pid: 777 },
    });
    const lock = await acquireLock(
      path,
      noWait,
      deps(() => false),
    );
    await lock.release();
  });

  it("a lock path it cannot create is a coded error, not a raw one", async () => {
    const path = join(dir(), "missing-dir", "x.lock");
    await expect(
      acquireLock(
        path,
        noWait,
        deps(() => true),
      ),
    ).rejects.toMatchObject({ code: "FILE_MISSING" });
    await expect(
      acquireLock(
        path,
        noWait,
        deps(() => true),
      ),
    ).rejects.toThrow(/^cannot create the lock .*x\.lock: no such file/);
  });
});

describe("io acquireLock: owners in another PID namespace", () => {
  const inNs = (ns: string | undefined, alive: (pid: number) => boolean): LockDeps => ({
    ...deps(alive),
    ...(ns === undefined ? {} : { pidNamespace: ns }),
  });

  it("writes this process's PID namespace into its token", async () => {
    const path = join(dir(), "x.lock");
    const lock = await acquireLock(
      path,
      noWait,
      inNs("4026531836", () => false),
    );
    expect(readFileSync(path, "utf8")).toMatch(/^4242:[0-9a-f]{12}:4026531836\n$/);
    await lock.release();
  });

  it("never judges an owner in another namespace dead by its pid: busy, and left alone", async () => {
    const path = join(dir(), "x.lock");
    writeFileSync(path, "12:abcdef:4026532175\n");
    await expect(
      acquireLock(
        path,
        noWait,
        inNs("4026531836", () => false),
      ),
    ).rejects.toMatchObject({ code: "SYNC_LOCKED", details: { pid: 12 } });
    expect(readFileSync(path, "utf8")).toBe("12:abcdef:4026532175\n");
  });

  it("takes over a dead owner of its own namespace, and one that wrote no namespace", async () => {
    for (const content of ["999999:dead:4026531836\n", "999999:dead\n"]) {
      const path = join(dir(), "x.lock");
      writeFileSync(path, content);
      const lock = await acquireLock(
        path,
        noWait,
        inNs("4026531836", () => false),
      );
      expect(readFileSync(path, "utf8")).toMatch(/^4242:/);
      await lock.release();
    }
  });
});
