/**
 * Ready before the reboot, under a fake root: sync prepares the kernels
 * installed under /boot (real gzip images with a build-id, published
 * manifests with real signatures over loopback HTTP), an idle sync costs one
 * conditional GET per installed kernel and decompresses nothing, and after
 * the "reboot" `sync --offline` applies the stored copy with a fetcher that
 * fails on any use: no network.
 */
import { createHash } from "node:crypto";
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
import type { VerificationRecord } from "../../../src/agent/verified-copy.js";
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
      "verified.json",
    ]);
    // The record of what was verified, for the boot (verified-copy.ts).
    const record: unknown = JSON.parse(
      await readFile(path.join(stored(NEXT.buildId), "verified.json"), "utf8"),
    );
    expect(record).toMatchObject({
      buildId: NEXT.buildId,
      manifest: { name: `kernel-${NEXT.buildId}.json`, version: 1 },
      module: {
        file: "lp_next_1.ko",
        sha256: createHash("sha256").update(nextMod.bytes).digest("hex"),
      },
    });
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
    const lines: string[] = [];
    const offline = agentDeps(root, config(), noNetwork, loader(), NOW, lines);
    expect(await runOfflineSync(offline)).toBe("applied");
    expect(await readFile(path.join(root, "sys/kernel/livepatch/lp_next_1/enabled"), "utf8")).toBe(
      "1\n",
    );
    // Checked against the record, not with OpenPGP.
    expect(lines.join("\n")).toContain(
      `checked kernel-${NEXT.buildId}.json against ${path.join(stored(NEXT.buildId), "verified.json")}: version 1`,
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

describe("a stored copy is checked at boot against its verification record", () => {
  const dir = () => stored(NEXT.buildId);
  const recordFile = () => path.join(dir(), "verified.json");
  const offline = (now = NOW, lines = log) =>
    agentDeps(root, config(), noNetwork, loader(), now, lines);
  /** The reboot into NEXT, with no patch loaded and no module kept in modules/. */
  const reboot = async () => {
    await writeFile(path.join(root, "proc/sys/kernel/osrelease"), `${NEXT.release}\n`);
    await writeFile(path.join(root, "sys/kernel/notes"), gnuBuildIdNote(NEXT.buildId));
    await rm(path.join(root, "sys/kernel/livepatch"), { recursive: true });
    await mkdir(path.join(root, "sys/kernel/livepatch"), { recursive: true });
    await rm(path.join(stateDir(), "modules"), { recursive: true, force: true });
  };
  /** Runs `sync --offline` with `file` changed by `change`, then restores it. */
  const refusedWith = async (file: string, change: (b: Buffer) => Buffer, now = NOW) => {
    const good = await readFile(file);
    await writeFile(file, change(good));
    try {
      return await code(runOfflineSync(offline(now)));
    } finally {
      await writeFile(file, good);
    }
  };
  const editRecord = (edit: (r: VerificationRecord) => void) => (b: Buffer) => {
    const r = JSON.parse(b.toString("utf8")) as VerificationRecord;
    edit(r);
    return Buffer.from(JSON.stringify(r));
  };

  beforeAll(async () => {
    // Back to the lab kernel, with NEXT installed: prepare its copy again.
    await writeFile(path.join(root, "proc/sys/kernel/osrelease"), `${LAB_RELEASE}\n`);
    await writeFile(
      path.join(root, "sys/kernel/notes"),
      await readFile("packages/lpctl/test/fixtures/agent/sys-kernel-notes.bin"),
    );
    expect(await runSync(online(), { force: true, prepare: true })).toBe("applied");
    await reboot();
  });

  it("module bytes changed: DIGEST_MISMATCH, nothing loaded", async () => {
    const ko = path.join(dir(), "lp_next_1.ko");
    const flip = (b: Buffer) => Buffer.concat([b.subarray(0, -1), Buffer.from("X")]);
    expect(await refusedWith(ko, flip)).toBe("DIGEST_MISMATCH");
    expect(await readdir(path.join(root, "sys/kernel/livepatch"))).toEqual([]);
    expect((await readState(stateDir())).lastError?.code).toBe("DIGEST_MISMATCH");
  });

  it("manifest bytes changed: COPY_RECORD_MISMATCH before any module is read", async () => {
    const mf = path.join(dir(), `kernel-${NEXT.buildId}.json`);
    const edit = (b: Buffer) => Buffer.from(b.toString("utf8").replace("fix p1", "fix P1"));
    expect(await refusedWith(mf, edit)).toBe("COPY_RECORD_MISMATCH");
    expect(await readdir(path.join(root, "sys/kernel/livepatch"))).toEqual([]);
    expect(await readdir(path.join(stateDir(), "modules"))).toEqual([]);
  });

  it("record changed: its digest, its version, its module, or not a record at all", async () => {
    const zeros = "0".repeat(64);
    const cases: [(r: VerificationRecord) => void, string][] = [
      [(r) => (r.manifest.sha256 = zeros), "COPY_RECORD_MISMATCH"],
      [(r) => (r.manifest.version = 2), "COPY_RECORD_MISMATCH"],
      [(r) => (r.module = { file: "lp_next_1.ko", sha256: zeros }), "COPY_RECORD_MISMATCH"],
      [(r) => (r.manifest.name = "kernel-other.json"), "COPY_RECORD_MISMATCH"],
      [(r) => delete (r as Partial<VerificationRecord>).trust, "COPY_RECORD_INVALID"],
    ];
    for (const [edit, want] of cases) {
      expect(await refusedWith(recordFile(), editRecord(edit))).toBe(want);
    }
    expect(await refusedWith(recordFile(), () => Buffer.from("{"))).toBe("COPY_RECORD_INVALID");
    expect(await readdir(path.join(root, "sys/kernel/livepatch"))).toEqual([]);
  });

  it("a record for another build-id: COPY_RECORD_WRONG_KERNEL", async () => {
    const other = editRecord((r) => (r.buildId = LAB_BUILD_ID));
    expect(await refusedWith(recordFile(), other)).toBe("COPY_RECORD_WRONG_KERNEL");
  });

  it("an expired manifest: MANIFEST_EXPIRED, as online", async () => {
    const later = new Date(NOW.getTime() + 15 * 86_400_000);
    expect(await refusedWith(recordFile(), (b) => b, later)).toBe("MANIFEST_EXPIRED");
  });

  it("a copy older than the manifest the host accepted last: MANIFEST_ROLLBACK, as online", async () => {
    const stateFile = path.join(stateDir(), "state.json");
    const newer = (b: Buffer) => {
      const st = JSON.parse(b.toString("utf8")) as { manifest: { version: number } };
      st.manifest.version = 2;
      return Buffer.from(JSON.stringify(st));
    };
    expect(await refusedWith(stateFile, newer)).toBe("MANIFEST_ROLLBACK");
    expect(await readdir(path.join(root, "sys/kernel/livepatch"))).toEqual([]);
  });

  it("keys re-pinned since the record: verified with OpenPGP against the new pins", async () => {
    const other = await makeSigner();
    await writeFile(path.join(root, "etc/lpctl/keys/key1.asc"), other.publicKey);
    const lines: string[] = [];
    const repinned = testConfig({ source: server.baseUrl, keys: ["/etc/lpctl/keys/key1.asc"] });
    const deps = agentDeps(root, repinned, noNetwork, loader(), NOW, lines);
    expect(await code(runOfflineSync(deps))).toBe("SIGNATURE_UNTRUSTED");
    expect(lines.join("\n")).toContain("the keys were re-pinned since");
    expect(await readdir(path.join(root, "sys/kernel/livepatch"))).toEqual([]);
  });

  it("no record (an older agent's copy): the signatures are verified with OpenPGP", async () => {
    const record = await readFile(recordFile());
    await rm(recordFile());
    try {
      const mf = path.join(dir(), `kernel-${NEXT.buildId}.json`);
      const edit = (b: Buffer) => Buffer.from(b.toString("utf8").replace("fix p1", "fix P1"));
      expect(await refusedWith(mf, edit)).toBe("SIGNATURE_INVALID");
      const lines: string[] = [];
      expect(await runOfflineSync(offline(NOW, lines))).toBe("applied");
      expect(lines.join("\n")).toContain("verifying the stored copy's signatures");
      expect(lines.join("\n")).toContain(`checked kernel-${NEXT.buildId}.json: version 1`);
    } finally {
      await writeFile(recordFile(), record);
    }
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
    // No record for what was not verified.
    expect(await readdir(stored(NEXT.buildId)).catch(() => [])).not.toContain("verified.json");
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
