/**
 * Locks shared across PID namespaces, for real: a cache shared by a
 * container or by the forge's job sandbox (bwrap --unshare-pid) sees the
 * same lock files, but not the same pids. A process in a new namespace
 * (unshare --pid) must wait for a live owner outside it instead of taking
 * its lock over because that owner's pid means nothing there; in its own
 * namespace a dead owner's lock is still taken over.
 */
import { execa } from "execa";
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, readlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { LpctlError } from "../../../src/core/errors.js";
import { acquireLock } from "../../../src/io/lock.js";

const TRY = fileURLToPath(new URL("./helpers/lock-try.ts", import.meta.url));
let dir = "";
let script = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-lock-ns-"));
  script = path.join(dir, "lock-try.mjs");
  await build({
    entryPoints: [TRY],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: script,
    logLevel: "error",
  });
});

const inNewPidNamespace = (...args: string[]) =>
  execa("unshare", ["--pid", "--fork", "--mount-proc", process.execPath, script, ...args]);

describe("the lock across PID namespaces", () => {
  it("a process in another PID namespace waits for a live owner here instead of taking it over", async () => {
    const file = path.join(dir, "held.lock");
    const held = await acquireLock(file, {
      timeoutMs: 0,
      busy: () => new LpctlError("SYNC_LOCKED", "busy"),
    });
    try {
      const before = await readFile(file, "utf8");
      const ns = /^pid:\[(\d+)\]$/.exec(await readlink("/proc/self/ns/pid"))?.[1];
      expect(before).toBe(`${String(process.pid)}:${before.split(":")[1] ?? ""}:${ns ?? ""}\n`);
      // In the new namespace this pid is no process at all: a pid check alone would call it dead.
      const inside = await inNewPidNamespace(file);
      expect(inside.stdout.trim()).toBe("SYNC_LOCKED");
      expect(await readFile(file, "utf8")).toBe(before);
    } finally {
      await held.release();
    }
  });

  it("a dead owner of the same namespace is still taken over, here and inside a new one", async () => {
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    const here = path.join(dir, "dead-here.lock");
    await writeFile(here, `${String(dead)}:gone\n`);
    expect((await execa(process.execPath, [script, here])).stdout.trim()).toBe("acquired");
    // A lock left by an earlier process of that (now gone) namespace's kind:
    // written without a namespace, it is judged by its pid, as before.
    const inside = path.join(dir, "dead-inside.lock");
    await writeFile(inside, "999999:gone\n");
    expect((await inNewPidNamespace(inside)).stdout.trim()).toBe("acquired");
  });
});
