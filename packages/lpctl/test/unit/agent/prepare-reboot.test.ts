/**
 * Ready before the reboot, under a fake root: sync prepares the kernels
 * installed under /boot (real gzip images with a build-id, published
 * manifests with real signatures over loopback HTTP), an idle sync costs one
 * conditional GET per installed kernel and decompresses nothing, and after
 * the "reboot" `sync --offline` applies the stored copy with a fetcher that
 * fails on any use: no network.
 */
import { gzipSync } from "node:zlib";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fetcher } from "../../../src/agent/fetcher.js";
import { httpFetcher } from "../../../src/agent/http-fetcher.js";
import { readPrepared } from "../../../src/agent/prepared-state.js";
import { readState } from "../../../src/agent/state.js";
import { collectStatus, formatStatus } from "../../../src/agent/status.js";
import { runOfflineSync } from "../../../src/agent/sync-offline.js";
import { runSync } from "../../../src/agent/sync.js";
import {
  fakeBzImage,
  fakeVmlinux,
  gnuBuildIdNote,
} from "@livepatch-gitops/test-support/fake-kernel-image";
import {
  agentDeps,
  fakeLoader,
  LAB_BUILD_ID,
  LAB_RELEASE,
  makeFakeRoot,
  removeRoot,
  testConfig,
} from "./helpers/fake-host.js";
import { startMirror, type MirrorServer } from "./helpers/mirror-server.js";
import { fakeModule, kernelEntry, manifestOf, publishDir } from "./helpers/publish-dir.js";
import { code, makeSigner, NOW } from "./helpers/scenario.js";

const NEXT = { release: "6.1.999-next", buildId: "ab".repeat(20) };
const UNCOVERED = { release: "6.1.998-old", buildId: "cd".repeat(20) };

const image = (id: string) => fakeBzImage(gzipSync(fakeVmlinux(id)));

let root = "";
let mirror = "";
let server: MirrorServer;
const log: string[] = [];
const runningMod = fakeModule("lp_running_1");
const nextMod = fakeModule("lp_next_1");
const noNetwork: Fetcher = {
  fetch: (req) => Promise.reject(new Error(`network used at boot: ${req.name}`)),
};

beforeAll(async () => {
  const keys = await makeSigner();
  root = await makeFakeRoot([keys.publicKey]);
  mirror = await mkdtemp(path.join(os.tmpdir(), "lpctl-mirror-"));
  const patches = [{ id: "p1", title: "fix p1", cves: ["CVE-2026-1111"] }];
  const manifest = manifestOf(
    1,
    [
      kernelEntry({ release: LAB_RELEASE, buildId: LAB_BUILD_ID, module: runningMod, patches }),
      kernelEntry({ ...NEXT, module: nextMod, patches }),
    ],
    NOW,
  );
  await publishDir(mirror, manifest, [runningMod, nextMod], keys.signer);
  server = await startMirror(() => mirror);
  await mkdir(path.join(root, "boot"));
  await writeFile(path.join(root, `boot/vmlinuz-${LAB_RELEASE}`), image(LAB_BUILD_ID));
  await writeFile(path.join(root, `boot/vmlinuz-${NEXT.release}`), image(NEXT.buildId));
  await writeFile(path.join(root, `boot/vmlinuz-${UNCOVERED.release}`), image(UNCOVERED.buildId));
  // Whole seconds: utimes can restore them exactly.
  await utimes(path.join(root, `boot/vmlinuz-${NEXT.release}`), 1_700_000_000, 1_700_000_000);
});

afterAll(async () => {
  await server.close();
  await removeRoot(root);
});

const config = () => testConfig({ source: server.baseUrl });
const loader = () => fakeLoader(root);
const online = () => agentDeps(root, config(), httpFetcher(server.baseUrl), loader(), NOW, log);
const stateDir = () => path.join(root, "var/lib/lpctl");
const stored = (id: string) => path.join(stateDir(), "kernels", id);
const downloads = () => server.requests.filter((r) => r.startsWith("GET /download/kernel-"));

describe("ready before the reboot", () => {
  it("sync applies the running kernel's module and keeps the installed kernel's copy", async () => {
    expect(await runSync(online(), { force: false, prepare: true })).toBe("applied");
    expect((await readdir(stored(NEXT.buildId))).sort()).toEqual([
      `kernel-${NEXT.buildId}.json`,
      `kernel-${NEXT.buildId}.json.asc`,
      "lp_next_1.ko",
      "lp_next_1.ko.asc",
    ]);
    expect(await readFile(path.join(stored(NEXT.buildId), "lp_next_1.ko"))).toEqual(nextMod.bytes);
    // The not-covered kernel has no copy; the running one needs none.
    expect(await readdir(path.join(stateDir(), "kernels"))).toEqual([NEXT.buildId]);
    const prepared = await readPrepared(stateDir());
    expect(prepared.kernels.map((k) => [k.release, k.result])).toEqual([
      [UNCOVERED.release, "not-covered"],
      [NEXT.release, "ready"],
    ]);
    expect(log.join("\n")).toContain(
      `prepared ${NEXT.release} (build-id ${NEXT.buildId}) for its next boot: manifest version 1, 1 patch, CVE-2026-1111`,
    );
    const st = await collectStatus(online());
    expect(st.prepared).toEqual([
      expect.objectContaining({ release: UNCOVERED.release, result: "not-covered" }),
      expect.objectContaining({ release: NEXT.release, result: "ready", module: "lp_next_1" }),
    ]);
    expect(formatStatus(st, NOW).join("\n")).toMatch(
      new RegExp(
        `^next boot: +${NEXT.release} \\(build-id ${NEXT.buildId}\\): ready, lp_next_1`,
        "m",
      ),
    );
  });

  it("an idle sync: one conditional GET per kernel, no image decompressed again", async () => {
    // Same size and mtime, other bytes: read again, this would not parse.
    const img = path.join(root, `boot/vmlinuz-${NEXT.release}`);
    const st = await stat(img);
    await writeFile(img, Buffer.alloc(st.size, 0x55));
    await utimes(img, 1_700_000_000, 1_700_000_000);
    const before = downloads().length;
    expect(await runSync(online(), { force: false, prepare: true })).toBe("already-applied");
    expect(downloads().slice(before)).toEqual([
      `GET /download/kernel-${LAB_BUILD_ID}.json`,
      `GET /download/kernel-${UNCOVERED.buildId}.json`,
      `GET /download/kernel-${NEXT.buildId}.json`,
    ]);
    const prepared = await readPrepared(stateDir());
    expect(prepared.kernels[1]).toMatchObject({ release: NEXT.release, result: "ready" });
    await writeFile(img, image(NEXT.buildId));
    await utimes(img, 1_700_000_000, 1_700_000_000);
  });

  it("after the reboot, sync --offline applies the stored copy with no network", async () => {
    // The reboot: the new kernel runs, no live patch is loaded.
    await writeFile(path.join(root, "proc/sys/kernel/osrelease"), `${NEXT.release}\n`);
    await writeFile(path.join(root, "sys/kernel/notes"), gnuBuildIdNote(NEXT.buildId));
    await rm(path.join(root, "sys/kernel/livepatch"), { recursive: true });
    await rm(path.join(root, "sys/module"), { recursive: true });
    await mkdir(path.join(root, "sys/kernel/livepatch"), { recursive: true });
    const offline = agentDeps(root, config(), noNetwork, loader(), NOW, log);
    expect(await runOfflineSync(offline)).toBe("applied");
    expect(await readFile(path.join(root, "sys/kernel/livepatch/lp_next_1/enabled"), "utf8")).toBe(
      "1\n",
    );
    const state = await readState(stateDir());
    expect(state.kernel).toEqual(NEXT);
    expect(state.applied).toMatchObject({ name: "lp_next_1", version: 1 });
    expect(state.lastError).toBeUndefined();
    // It runs now: status no longer lists it for the next boot.
    const st = await collectStatus(offline);
    expect(st.patchState).toBe("applied");
    expect(st.prepared.map((k) => k.release)).toEqual([UNCOVERED.release]);
  });

  it("the next online sync drops the copy it no longer needs; a removed image's copy goes too", async () => {
    expect(await runSync(online(), { force: false, prepare: true })).toBe("already-applied");
    // The lab kernel is now the installed, not running one.
    expect(await readdir(path.join(stateDir(), "kernels"))).toEqual([LAB_BUILD_ID]);
    await rm(path.join(root, `boot/vmlinuz-${LAB_RELEASE}`));
    expect(await runSync(online(), { force: false, prepare: true })).toBe("already-applied");
    expect(await readdir(path.join(stateDir(), "kernels"))).toEqual([]);
    const prepared = await readPrepared(stateDir());
    expect(prepared.kernels.map((k) => k.release)).toEqual([UNCOVERED.release]);
  });

  it("sync --offline with nothing stored for the kernel: a clear line, nothing done", async () => {
    const lines: string[] = [];
    const deps = agentDeps(root, config(), noNetwork, loader(), NOW, lines);
    expect(await runOfflineSync(deps)).toBe("nothing-stored");
    expect(lines.join("\n")).toMatch(
      `nothing stored for this kernel (${NEXT.release}, build-id ${NEXT.buildId})`,
    );
  });
});

describe("a stored copy is verified again at boot", () => {
  it("a module changed on disk is refused, a manifest changed on disk too", async () => {
    // Back to the lab kernel, with NEXT installed: prepare its copy again.
    await writeFile(path.join(root, "proc/sys/kernel/osrelease"), `${LAB_RELEASE}\n`);
    await writeFile(
      path.join(root, "sys/kernel/notes"),
      await readFile("packages/lpctl/test/fixtures/agent/sys-kernel-notes.bin"),
    );
    expect(await runSync(online(), { force: true, prepare: true })).toBe("applied");
    const dir = stored(NEXT.buildId);
    await writeFile(path.join(root, "proc/sys/kernel/osrelease"), `${NEXT.release}\n`);
    await writeFile(path.join(root, "sys/kernel/notes"), gnuBuildIdNote(NEXT.buildId));
    await rm(path.join(root, "sys/kernel/livepatch"), { recursive: true });
    await mkdir(path.join(root, "sys/kernel/livepatch"), { recursive: true });
    await rm(path.join(stateDir(), "modules"), { recursive: true });
    const ko = path.join(dir, "lp_next_1.ko");
    const good = await readFile(ko);
    await writeFile(ko, Buffer.concat([good.subarray(0, -1), Buffer.from("X")]));
    const offline = () => agentDeps(root, config(), noNetwork, loader(), NOW, log);
    expect(await code(runOfflineSync(offline()))).toBe("DIGEST_MISMATCH");
    await writeFile(ko, good);
    const mf = path.join(dir, `kernel-${NEXT.buildId}.json`);
    const text = await readFile(mf, "utf8");
    await writeFile(mf, text.replace("fix p1", "fix P1"));
    expect(await code(runOfflineSync(offline()))).toBe("SIGNATURE_INVALID");
  });

  it("a kernel that cannot be prepared does not fail the running kernel's sync; status shows why", async () => {
    await writeFile(path.join(root, "proc/sys/kernel/osrelease"), `${LAB_RELEASE}\n`);
    await writeFile(
      path.join(root, "sys/kernel/notes"),
      await readFile("packages/lpctl/test/fixtures/agent/sys-kernel-notes.bin"),
    );
    await rm(path.join(stateDir(), "kernels"), { recursive: true });
    await rm(path.join(mirror, "lp_next_1.ko"));
    expect(await runSync(online(), { force: true, prepare: true })).toBe("applied");
    const st = await collectStatus(online());
    expect(st.verdict).toBe("ok");
    expect(st.prepared.find((k) => k.release === NEXT.release)).toMatchObject({
      result: "failed",
      error: { code: "FETCH_FAILED" },
    });
    expect(formatStatus(st, NOW).join("\n")).toMatch(
      new RegExp(
        `^next boot: +${NEXT.release} .*not prepared: FETCH_FAILED: module lp_next_1.ko`,
        "m",
      ),
    );
  });
});

describe("an idle sync on a host with only the running kernel installed", () => {
  it("leaves prepared.json as it is; a newly installed kernel is recorded", async () => {
    const keys = await makeSigner();
    const host = await makeFakeRoot([keys.publicKey]);
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-mirror-"));
    const patches = [{ id: "p1", title: "fix p1", cves: ["CVE-2026-1111"] }];
    const entries = [
      kernelEntry({ release: LAB_RELEASE, buildId: LAB_BUILD_ID, module: runningMod, patches }),
      kernelEntry({ ...NEXT, module: nextMod, patches }),
    ];
    await publishDir(dir, manifestOf(1, entries, NOW), [runningMod, nextMod], keys.signer);
    const mirrorServer = await startMirror(() => dir);
    try {
      await mkdir(path.join(host, "boot"));
      await writeFile(path.join(host, `boot/vmlinuz-${LAB_RELEASE}`), image(LAB_BUILD_ID));
      const deps = () =>
        agentDeps(
          host,
          testConfig({ source: mirrorServer.baseUrl }),
          httpFetcher(mirrorServer.baseUrl),
          fakeLoader(host),
          NOW,
          [],
        );
      const file = path.join(host, "var/lib/lpctl/prepared.json");
      expect(await runSync(deps(), { force: false, prepare: true })).toBe("applied");
      const written = await stat(file);
      expect((await readPrepared(path.dirname(file))).images).toEqual([
        expect.objectContaining({ path: `/boot/vmlinuz-${LAB_RELEASE}`, buildId: LAB_BUILD_ID }),
      ]);
      expect(await runSync(deps(), { force: false, prepare: true })).toBe("already-applied");
      // Not replaced (writeFileAtomic renames a new file over it): no write, no fsync.
      expect((await stat(file)).ino).toBe(written.ino);
      await writeFile(path.join(host, `boot/vmlinuz-${NEXT.release}`), image(NEXT.buildId));
      expect(await runSync(deps(), { force: false, prepare: true })).toBe("already-applied");
      expect((await stat(file)).ino).not.toBe(written.ino);
      expect((await readPrepared(path.dirname(file))).kernels).toEqual([
        expect.objectContaining({ release: NEXT.release, result: "ready" }),
      ]);
    } finally {
      await mirrorServer.close();
      await removeRoot(host);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
