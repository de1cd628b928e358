/**
 * What a sync costs on the wire, over real loopback HTTP with releases made
 * by `lpctl publish` and `lpctl keys rotate`: an idle sync is one exchange
 * (the manifest's conditional GET, 304) under 1 KB, and a key list is
 * fetched exactly when the manifest names a newer one. A manifest naming an
 * older list than the host follows is refused by the agent, `lpctl verify`
 * and `lpctl mirror` alike (exit 2).
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpFetcher } from "../../../src/agent/http-fetcher.js";
import { runSync } from "../../../src/agent/sync.js";
import type { Manifest } from "../../../src/core/manifest.js";
import {
  BUILT_COMMIT,
  lpctl,
  REPO_ROOT,
  tempDir,
  writeBuildOutputs,
} from "@livepatch-gitops/test-support/publisher-helpers";
import * as host from "../../unit/agent/helpers/fake-host.js";
import { startMirror, type MirrorServer } from "../../unit/agent/helpers/mirror-server.js";
import { fakeModule } from "../../unit/agent/helpers/publish-dir.js";

const TARGET = "lab-a";
let tmp = "";
let mirror = "";
let lists = "";
let root = "";
let server: MirrorServer;
const keyFiles = (k: string) => [
  join(tmp, k, "signing-key.pub.asc"),
  join(tmp, k, "signing-key.asc"),
];

/** Build outputs for the fake host's kernel, with a module the fake loader can load. */
async function labOutputs(tag: string): Promise<string> {
  const dir = join(tmp, tag);
  await writeBuildOutputs(dir, [TARGET], tag);
  const file = join(dir, TARGET, "build-report.json");
  const report = JSON.parse(await readFile(file, "utf8")) as {
    buildId: string;
    release: string;
    module: { file: string; name: string; sha256: string; length: number };
  };
  const mod = fakeModule(report.module.name);
  await writeFile(join(dir, TARGET, report.module.file), mod.bytes);
  report.buildId = host.LAB_BUILD_ID;
  report.release = host.LAB_RELEASE;
  report.module.sha256 = createHash("sha256").update(mod.bytes).digest("hex");
  report.module.length = mod.bytes.length;
  await writeFile(file, JSON.stringify(report, null, 2));
  return dir;
}

async function publish(key: string, tag: string, ...extra: string[]): Promise<Manifest> {
  const r = await lpctl(
    ...["publish", "--reports", await labOutputs(tag), "--key", key, "--repository", "o/r"],
    ...["--checkout", REPO_ROOT, "--expect-commit", BUILT_COMMIT, "--to", mirror, ...extra],
  );
  expect(r.code, r.err).toBe(0);
  return JSON.parse(await readFile(join(mirror, "manifest.json"), "utf8")) as Manifest;
}

const loader = () => host.fakeLoader(root);
/** One sync through the agent's HTTP fetcher; the exchanges and bytes it cost. */
async function sync() {
  const config = host.testConfig({ source: server.directUrl, repository: "o/r" });
  const [r0, b0] = [server.requests.length, server.wireBytes()];
  const outcome = await runSync(
    host.agentDeps(root, config, httpFetcher(server.directUrl), loader(), new Date()),
    { force: false },
  );
  const names = server.requests
    .slice(r0)
    .map((r) => decodeURIComponent(r.replace(/^GET \/storage\/([^?]+).*$/, "$1")));
  return { outcome, names, bytes: server.wireBytes() - b0 };
}

beforeAll(async () => {
  tmp = await tempDir("idle-sync");
  mirror = join(tmp, "mirror");
  lists = join(tmp, "lists");
  await mkdir(lists);
  for (const k of ["old", "new"]) {
    expect((await lpctl("keygen", "--name", k, "--out", join(tmp, k))).code).toBe(0);
  }
  root = await host.makeFakeRoot([await readFile(keyFiles("old")[0] ?? "", "utf8")]);
  server = await startMirror(() => mirror);
  // For `lpctl sync` (the CLI's exit codes); the syncs that count bytes use the same source.
  const config = `source: ${server.directUrl}\nrepository: o/r\nkeys: [/etc/lpctl/keys/key0.asc]\n`;
  await writeFile(join(root, "etc/lpctl/config.yaml"), config);
});
afterAll(async () => {
  await server.close();
  await host.removeRoot(root);
});

describe("a sync over HTTP", () => {
  it("idle: one exchange under 1 KB; after a rotation: the new list, once", async () => {
    const [oldPub, oldSec] = keyFiles("old");
    const [newPub, newSec] = keyFiles("new");
    const v1 = await publish(oldSec ?? "", "v1");
    expect(v1.keys).toBe(0);
    expect((await sync()).outcome).toBe("applied");

    const idle = await sync();
    expect(idle.outcome).toBe("already-applied");
    expect(idle.names).toEqual([`kernel-${host.LAB_BUILD_ID}.json`]);
    expect(idle.bytes).toBeGreaterThan(0);
    expect(idle.bytes).toBeLessThanOrEqual(1024);

    const rotate = await lpctl(
      ...["keys", "rotate", "--dir", lists, "--pinned", oldPub ?? "", "--keys", newPub ?? ""],
      ...["--sign-with", oldSec ?? "", newSec ?? ""],
    );
    expect(rotate.code, rotate.err).toBe(0);
    const v2 = await publish(newSec ?? "", "v2", "--previous-key", oldPub ?? "");
    expect(v2.keys).toBe(0);
    // Published without the lists: hosts pinning the old key cannot verify it.
    expect((await lpctl("sync", "--root", root)).code).toBe(2);

    const v3 = await publish(
      newSec ?? "",
      "v3",
      "--previous-key",
      oldPub ?? "",
      "--key-lists",
      lists,
    );
    expect(v3.keys).toBe(1);
    const moved = await sync();
    expect(moved.outcome).toBe("applied");
    expect(moved.names.filter((n) => n.startsWith("keys-"))).toEqual([
      "keys-1.json",
      "keys-1.json.asc",
    ]);
    const after = await sync();
    expect(after.names).toEqual([`kernel-${host.LAB_BUILD_ID}.json`]);
    expect(after.bytes).toBeLessThanOrEqual(1024);

    // A refresh keeps naming the current list.
    const refreshed = await lpctl(
      ...["publish", "--refresh", "--from", mirror, "--key", newSec ?? ""],
      ...["--previous-key", oldPub ?? "", "--key-lists", lists, "--to", mirror],
    );
    expect(refreshed.code, refreshed.err).toBe(0);
    const v4 = JSON.parse(await readFile(join(mirror, "manifest.json"), "utf8")) as Manifest;
    expect([v4.version, v4.keys]).toEqual([4, 1]);
    const quiet = await sync();
    expect(quiet.outcome).toBe("already-applied");
    expect(quiet.names.filter((n) => n.startsWith("keys-"))).toEqual([]);
  });

  // Continues from the host state the test above left: trust at key list 1.
  it("a manifest naming an older list than the one followed: exit 2 for sync, verify and mirror", async () => {
    const [oldPub] = keyFiles("old");
    const [, newSec] = keyFiles("new");
    // Signed by a listed key, but published without --key-lists: keys 0.
    const stale = await publish(newSec ?? "", "v5", "--previous-key", oldPub ?? "");
    expect(stale.keys).toBe(0);
    const synced = await lpctl("sync", "--root", root);
    expect(synced.code).toBe(2);
    expect(synced.err).toMatch(/MANIFEST_KEYS_MISMATCH: kernel-[0-9a-f]+\.json says its signer/);
    const verified = await lpctl(
      ...["verify", "--manifest", join(mirror, "manifest.json"), "--key", oldPub ?? ""],
      ...["--key-lists", mirror],
    );
    expect([verified.code, verified.err]).toEqual([
      2,
      expect.stringMatching(/MANIFEST_KEYS_MISMATCH/),
    ]);
    const copied = await lpctl(
      ...["mirror", "--from", mirror, "--to", join(tmp, "copy"), "--key", oldPub ?? ""],
    );
    expect([copied.code, copied.err]).toEqual([2, expect.stringMatching(/MANIFEST_KEYS_MISMATCH/)]);
  });
});
