/**
 * A fake host root (proc, sys with the REAL /sys/kernel/notes of the lab
 * kernel, etc/lpctl, var/lib/lpctl) and a fake module loader that makes
 * /sys/kernel/livepatch/<name> appear the way the kernel does.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { AgentDeps } from "../../../../src/agent/agent-deps.js";
import type { Clock } from "../../../../src/io/clock.js";
import { parseAgentConfig, type AgentConfig } from "../../../../src/agent/config.js";
import type { Fetcher } from "../../../../src/agent/fetcher.js";
import { hostRoot } from "../../../../src/agent/host-root.js";
import { livepatchSysfs } from "../../../../src/agent/livepatch-sysfs.js";
import type { ModuleLoader } from "../../../../src/agent/module-loader.js";

export const NOTES_FIXTURE = path.resolve(
  "packages/lpctl/test/fixtures/agent/sys-kernel-notes.bin",
);
/** The build-id `readelf -n` shows for the lab vmlinux the fixture came from. */
export const LAB_BUILD_ID = "9f478250d50cee52e262b001279e02a759e56da0";
export const LAB_RELEASE = "6.1.192";

export async function makeFakeRoot(publicKeys: string[]): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "lpctl-root-"));
  await mkdir(path.join(root, "proc/sys/kernel"), { recursive: true });
  await writeFile(path.join(root, "proc/sys/kernel/osrelease"), `${LAB_RELEASE}\n`);
  await mkdir(path.join(root, "sys/kernel/livepatch"), { recursive: true });
  await mkdir(path.join(root, "sys/module"), { recursive: true });
  await writeFile(path.join(root, "sys/kernel/notes"), await readFile(NOTES_FIXTURE));
  await mkdir(path.join(root, "etc/lpctl/keys"), { recursive: true });
  for (const [i, k] of publicKeys.entries()) {
    await writeFile(path.join(root, `etc/lpctl/keys/key${i}.asc`), k);
  }
  return root;
}

export const removeRoot = (root: string) => rm(root, { recursive: true, force: true });

export interface FakeLoader extends ModuleLoader {
  calls: string[];
  /** The next loads leave the transition stuck at 1. */
  stuck: boolean;
  /** Loads create /sys/kernel/livepatch/<m>/signal (kernels before 5.x have it; 6.1 does not). */
  signalFile: boolean;
  /** Replaced patches show enabled 0 this long before their sysfs entry goes (as the kernel's work queue does). */
  lingerMs: number;
}

/** insmod/rmmod as the kernel would do it, in the fake root; replace mode like kpatch. */
export function fakeLoader(root: string): FakeLoader {
  const lp = (n: string) => path.join(root, "sys/kernel/livepatch", n);
  const loader: FakeLoader = {
    calls: [],
    stuck: false,
    signalFile: true,
    lingerMs: 0,
    async load(file) {
      const first = (await readFile(file, "latin1")).split("\n")[0] ?? "";
      const name = first.replace(/^FAKE-LIVEPATCH /, "");
      loader.calls.push(`load ${name}`);
      await mkdir(path.join(root, "sys/module", name), { recursive: true });
      // cumulative replace: the kernel drops the earlier patches when the transition ends.
      if (!loader.stuck) {
        for (const other of await readdir(path.join(root, "sys/kernel/livepatch"))) {
          if (other === name) continue;
          if (loader.lingerMs === 0) await rm(lp(other), { recursive: true });
          else {
            await writeFile(path.join(lp(other), "enabled"), "0\n");
            setTimeout(() => void rm(lp(other), { recursive: true, force: true }), loader.lingerMs);
          }
        }
      }
      await mkdir(lp(name), { recursive: true });
      await writeFile(path.join(lp(name), "enabled"), "1\n");
      await writeFile(path.join(lp(name), "transition"), loader.stuck ? "1\n" : "0\n");
      if (loader.signalFile) await writeFile(path.join(lp(name), "signal"), "");
    },
    async unload(name) {
      loader.calls.push(`unload ${name}`);
      await rm(lp(name), { recursive: true, force: true });
      await rm(path.join(root, "sys/module", name), { recursive: true, force: true });
    },
  };
  return loader;
}

export function testConfig(over: Record<string, unknown>): AgentConfig {
  return parseAgentConfig(
    {
      repository: "example/livepatches",
      keys: ["/etc/lpctl/keys/key0.asc"],
      transitionTimeout: 0.4,
      signalAfter: 0.1,
      ...over,
    },
    "test-config",
  );
}

export const fixedClock = (now: Date): Clock => ({
  now: () => now,
  monotonicMs: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
});

export function agentDeps(
  root: string,
  config: AgentConfig,
  fetcher: Fetcher,
  loader: ModuleLoader,
  now: Date,
  log: string[] = [],
): AgentDeps {
  return {
    root: hostRoot(root),
    config,
    fetcher,
    loader,
    sysfs: livepatchSysfs(hostRoot(root)),
    clock: fixedClock(now),
    log: (l) => log.push(l),
    arch: "x86_64",
  };
}
