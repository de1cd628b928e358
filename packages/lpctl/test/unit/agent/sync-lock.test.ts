import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, readlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireSyncLock } from "../../../src/agent/sync-lock.js";

describe("sync lock", () => {
  it("is exclusive while held and free after release", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-lock-"));
    const lock = await acquireSyncLock(dir);
    // <pid>:<random>:<this PID namespace> (io/lock.ts).
    const ns = /^pid:\[(\d+)\]$/.exec(await readlink("/proc/self/ns/pid"))?.[1] ?? "none";
    expect(await readFile(path.join(dir, "sync.lock"), "utf8")).toMatch(
      new RegExp(`^${process.pid}:[0-9a-f]+:${ns}\n$`),
    );
    await expect(acquireSyncLock(dir)).rejects.toMatchObject({
      code: "SYNC_LOCKED",
      details: { pid: process.pid },
    });
    await lock.release();
    await (await acquireSyncLock(dir)).release();
  });

  it("takes over a lock whose process is gone", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-lock-"));
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    await writeFile(path.join(dir, "sync.lock"), `${dead}\n`);
    const lock = await acquireSyncLock(dir);
    expect(await readFile(path.join(dir, "sync.lock"), "utf8")).toMatch(
      new RegExp(`^${process.pid}:`),
    );
    await lock.release();
  });
});
