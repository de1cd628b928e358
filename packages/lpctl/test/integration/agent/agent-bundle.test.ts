/**
 * The single-file agent (packages/lpctl/dist/lpctl-agent.cjs) run by each Node version it
 * supports: the default node, and 18 (Debian 12), 22 and 24 from
 * scripts/install-build-deps.sh. Each runs the same checks: the host
 * commands, verification with the lazily loaded OpenPGP, the key chain,
 * what an idle (304) sync leaves unloaded, and an apply and a stuck transition through a shell loader that plays the
 * kernel's part under a fake root.
 */
import { execa } from "execa";
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { StatusReport } from "../../../src/agent/status-report.js";
import { signKeyList } from "../../../src/publisher/sign-key-list.js";
import { LAB_BUILD_ID, LAB_RELEASE, makeFakeRoot } from "../../unit/agent/helpers/fake-host.js";
import {
  fakeModule,
  kernelEntry,
  manifestOf,
  publishDir,
} from "../../unit/agent/helpers/publish-dir.js";
import { startMirror } from "../../unit/agent/helpers/mirror-server.js";
import { makeSigner, NOW } from "../../unit/agent/helpers/scenario.js";

const NODE_DIR = process.env.LPCTL_NODE_DIR ?? "/opt/livepatch-gitops/node";
const NODES: [string, string][] = [
  ["default", process.execPath],
  ...["18", "22", "24"].map((v): [string, string] => [v, path.join(NODE_DIR, v, "bin/node")]),
];

let dir = "";
let file = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-bundle-"));
  file = path.join(dir, "lpctl-agent.cjs");
  await execa("node", ["packages/lpctl/scripts/build-agent-bundle.mjs", file]);
});

/** A config pointing at `mirror`, with `extra` YAML lines. */
async function configure(root: string, mirror: string, extra = ""): Promise<void> {
  await mkdir(path.join(root, "etc/lpctl"), { recursive: true });
  const cfg = `source: ${pathToFileURL(mirror).href}/\nrepository: example/livepatches\nkeys: [/etc/lpctl/keys/key0.asc]\n${extra}`;
  await writeFile(path.join(root, "etc/lpctl/config.yaml"), cfg);
}

/**
 * insmod and rmmod as the kernel answers them, for `root`: the module's
 * livepatch name is its first line (fakeModule); STUCK=1 leaves the
 * transition running, as a task sleeping in a patched function does.
 */
async function shellLoader(root: string, stuck: boolean): Promise<string> {
  const load = path.join(root, "fake-insmod");
  const unload = path.join(root, "fake-rmmod");
  const lp = `${root}/sys/kernel/livepatch`;
  await writeFile(
    load,
    `#!/bin/sh\nset -e\nname=$(head -n1 "$1" | sed 's/^FAKE-LIVEPATCH //')\n` +
      `mkdir -p "${root}/sys/module/$name" "${lp}/$name"\necho 1 > "${lp}/$name/enabled"\n` +
      `echo ${stuck ? 1 : 0} > "${lp}/$name/transition"\n: > "${lp}/$name/signal"\n`,
  );
  await writeFile(unload, `#!/bin/sh\nrm -rf "${lp}/$1" "${root}/sys/module/$1"\n`);
  await chmod(load, 0o755);
  await chmod(unload, 0o755);
  return `loader: { load: [${load}], unload: [${unload}] }\ntransitionTimeout: 1\nsignalAfter: 0.2\n`;
}

/**
 * Module `name` for another release with the lab kernel's build-id: verified,
 * selected for no kernel, so a sync exits 0 without loading anything.
 */
function otherRelease(name: string) {
  const mod = fakeModule(name);
  const entry = kernelEntry({
    release: `${LAB_RELEASE}-x`,
    buildId: LAB_BUILD_ID,
    module: mod,
    patches: [],
  });
  return { mod, entry };
}

/** A fake root trusting a new key, and a mirror under it with version 1 of otherRelease(`name`). */
async function hostWithMirror(name: string): Promise<{ root: string; mirror: string }> {
  const keys = await makeSigner();
  const root = await makeFakeRoot([keys.publicKey]);
  const { mod, entry } = otherRelease(name);
  const mirror = path.join(root, `srv/${name}`);
  await publishDir(mirror, manifestOf(1, [entry], NOW), [mod], keys.signer);
  return { root, mirror };
}

describe.each(NODES)("single-file agent bundle under Node %s", (label, node) => {
  const run = (args: string[]) => execa(node, [file, ...args], { cwd: dir, reject: false });

  it("runs: the Node version is one the agent supports", async () => {
    const v = await execa(node, ["--version"], { reject: false });
    expect(v.exitCode, `${node} missing: run scripts/install-build-deps.sh`).toBe(0);
    expect(Number(/^v(\d+)\./.exec(v.stdout)?.[1])).toBeGreaterThanOrEqual(18);
    if (label !== "default") expect(v.stdout).toMatch(new RegExp(`^v${label}\\.`));
  });

  it("holds only the host commands and runs with a bare node", async () => {
    // Every run reads, scans and caches the whole file (475 kB on 2026-12-07):
    // zod imported as `import { z }` instead of `import * as z` (no tree
    // shaking, +100 kB), execa or an uncompressed OpenPGP chunk crosses this.
    expect((await stat(file)).size).toBeLessThan(600_000);
    const text = await readFile(file, "utf8");
    expect(text).not.toMatch(/@octokit|probot/i);
    // Run from a directory without node_modules: everything is inside.
    const help = await run(["--help"]);
    for (const c of ["sync", "status", "revert", "install-units", "check-config"]) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${c} \\[options\\]`, "m"));
    }
    expect(help.stdout).not.toMatch(/validate|kernel prepare|publish/);
    const version = await run(["--version"]);
    expect(version.stdout).toBe(
      (JSON.parse(await readFile("package.json", "utf8")) as { version: string }).version,
    );
    // The units are baked in: no contrib/ beside the bundle.
    const unitsRoot = await mkdtemp(path.join(os.tmpdir(), "lpctl-bundle-units-"));
    const units = await run([
      "install-units",
      "--root",
      unitsRoot,
      "--config",
      "/etc/lpctl/b.yaml",
      "--json",
    ]);
    expect(JSON.parse(units.stdout)).toMatchObject({ config: "/etc/lpctl/b.yaml" });
    const service = await readFile(
      path.join(unitsRoot, "etc/systemd/system/lpctl-sync.service"),
      "utf8",
    );
    expect(service).toMatch(/^ExecStart=\/usr\/bin\/lpctl sync --config \/etc\/lpctl\/b\.yaml$/m);
    const bad = await run(["status", "--root", unitsRoot, "--json"]);
    expect(bad.exitCode).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: "CONFIG_INVALID" } });
  });

  it("verifies with the lazily loaded OpenPGP: nothing to apply (0), unpinned signer refused (2)", async () => {
    const pinned = await makeSigner();
    const stranger = await makeSigner("stranger");
    const root = await makeFakeRoot([pinned.publicKey]);
    const { mod, entry } = otherRelease("lp_b");
    const good = path.join(root, "srv/good");
    const evil = path.join(root, "srv/evil");
    await publishDir(good, manifestOf(1, [entry], NOW), [mod], pinned.signer);
    await publishDir(evil, manifestOf(2, [entry], NOW), [mod], stranger.signer);
    await configure(root, good);
    const ok = await run(["sync", "--root", root]);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/nothing to apply/);
    await configure(root, evil);
    const refused = await run(["sync", "--root", root]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/not pinned/);
  });

  it("an idle sync over HTTP is one 304 and loads neither OpenPGP, TLS, zlib nor child_process", async () => {
    const { root, mirror } = await hostWithMirror("lp_idle");
    const server = await startMirror(() => mirror);
    try {
      await mkdir(path.join(root, "etc/lpctl"), { recursive: true });
      await writeFile(
        path.join(root, "etc/lpctl/config.yaml"),
        `source: ${server.directUrl}\nrepository: example/livepatches\nkeys: [/etc/lpctl/keys/key0.asc]\n`,
      );
      const first = await run(["sync", "--root", root]);
      expect(first.exitCode, first.stderr).toBe(0);
      // The built-in modules this process loaded, printed at exit: a
      // deterministic record of which lazy parts ran (no sampling).
      const preload = path.join(dir, "module-list.cjs");
      await writeFile(
        preload,
        'process.on("exit", () => process.stderr.write("modules " + process.moduleLoadList.join(",") + "\\n"));\n',
      );
      const before = server.requests.length;
      const idle = await execa(node, ["--require", preload, file, "sync", "--root", root], {
        cwd: dir,
        reject: false,
        env: { LPCTL_TRACE: "1" },
      });
      expect(idle.exitCode, idle.stderr).toBe(0);
      expect(idle.stdout).toMatch(/304 not modified \(version 1\)/);
      expect(server.requests.slice(before)).toHaveLength(1);
      // The verifier is imported only when a manifest changed (current-manifest.ts).
      expect(idle.stderr).not.toMatch(/verifier-loaded/);
      const loaded = (/^modules (.*)$/m.exec(idle.stderr)?.[1] ?? "").split(",");
      expect(loaded).toContain("NativeModule http");
      // OpenPGP's module code sets up web streams: an eager import of the
      // verifier (or of openpgp) anywhere in the bundle loads this at start.
      for (const m of ["internal/webstreams/readablestream", "https", "tls", "zlib"]) {
        expect(loaded).not.toContain(`NativeModule ${m}`);
      }
      // No module is loaded, so no child process: commander requires
      // child_process at load, the bundle defers it to first use.
      expect(loaded).not.toContain("NativeModule child_process");
    } finally {
      await server.close();
    }
  });

  it("keeps its V8 code cache in the state dir: written once, then used; a damaged or foreign one is replaced", async () => {
    const { root, mirror } = await hostWithMirror("lp_c");
    await configure(root, mirror);
    await mkdir(path.join(root, "var/lib/lpctl"), { recursive: true });
    const cacheDir = path.join(root, "var/lib/lpctl/code-cache");
    const sync = async () => {
      const r = await run(["sync", "--root", root]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/nothing to apply/);
      const names = await readdir(cacheDir);
      expect(names).toHaveLength(1);
      const file = path.join(cacheDir, names[0]);
      return { file, bytes: await readFile(file), mtime: (await stat(file)).mtimeMs };
    };
    const first = await sync();
    expect(path.basename(first.file)).toMatch(/^agent-[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+\.bin$/);
    const second = await sync();
    expect(second.mtime).toBe(first.mtime);
    // A flipped bit: the digest no longer matches, so it is compiled afresh and rewritten.
    const damaged = Buffer.from(first.bytes);
    damaged[damaged.length - 100] ^= 0xff;
    await writeFile(first.file, damaged);
    expect((await sync()).bytes.equals(damaged)).toBe(false);
    // Bytes V8 refuses (another V8's cache, say) under a valid digest: rewritten too.
    const foreign = Buffer.from("not V8 bytecode");
    await writeFile(
      first.file,
      Buffer.concat([createHash("sha256").update(foreign).digest(), foreign]),
    );
    const replaced = await sync();
    expect(replaced.bytes.length).toBeGreaterThan(first.bytes.length / 2);
    expect((await sync()).mtime).toBe(replaced.mtime);
  });

  it("follows a signed key list to a new key (the lazily loaded chain code)", async () => {
    const pinned = await makeSigner("pinned");
    const next = await makeSigner("next");
    const root = await makeFakeRoot([pinned.publicKey]);
    const { mod, entry } = otherRelease("lp_k");
    const mirror = path.join(root, "srv/rotated");
    // The manifest names the list (keys: 1), as lpctl publish --key-lists writes it.
    await publishDir(mirror, { ...manifestOf(1, [entry], NOW), keys: 1 }, [mod], next.signer);
    const list = await signKeyList({
      current: { version: 0, threshold: 1, keys: [pinned.publicKey] },
      keys: [next.publicKey],
      threshold: 1,
      expires: new Date(NOW.getTime() + 86_400_000),
      signers: [pinned.signer, next.signer],
      now: NOW,
    });
    await writeFile(path.join(mirror, list.name), list.bytes);
    await writeFile(path.join(mirror, `${list.name}.asc`), list.signature);
    await configure(root, mirror);
    const r = await run(["sync", "--root", root]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/accepted key list version 1/);
  });

  it("applies a module (status 0), then a stuck transition: apply-failed, CVEs pending (status 1)", async () => {
    const keys = await makeSigner();
    const root = await makeFakeRoot([keys.publicKey]);
    const patch = (id: string, cve: string) => ({ id, title: `fix ${id}`, cves: [cve] });
    const m1 = fakeModule("lp_n1");
    const m2 = fakeModule("lp_n2");
    const entry = (module: typeof m1, patches: ReturnType<typeof patch>[]) =>
      kernelEntry({ release: LAB_RELEASE, buildId: LAB_BUILD_ID, module, patches });
    const v1 = path.join(root, "srv/v1");
    const v2 = path.join(root, "srv/v2");
    const a = patch("a", "CVE-2026-0001");
    const b = patch("b", "CVE-2026-0002");
    await publishDir(v1, manifestOf(1, [entry(m1, [a])], NOW), [m1], keys.signer);
    await publishDir(v2, manifestOf(2, [entry(m2, [a, b])], NOW), [m2], keys.signer);
    await configure(root, v1, await shellLoader(root, false));
    const sync1 = await run(["sync", "--root", root, "--json"]);
    expect(sync1.exitCode, sync1.stderr).toBe(0);
    expect(JSON.parse(sync1.stdout)).toEqual({ outcome: "applied" });
    const ok = await run(["status", "--root", root, "--json"]);
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ patchState: "applied", verdict: "ok" });
    await configure(root, v2, await shellLoader(root, true));
    const sync2 = await run(["sync", "--root", root]);
    expect(sync2.exitCode).toBe(1);
    expect(sync2.stderr).toMatch(/TRANSITION_TIMEOUT/);
    const failed = await run(["status", "--root", root, "--json"]);
    expect(failed.exitCode).toBe(1);
    const s = JSON.parse(failed.stdout) as StatusReport;
    expect(s).toMatchObject({
      patchState: "apply-failed",
      check: { result: "failed", error: { code: "TRANSITION_TIMEOUT" } },
      applyError: { module: "lp_n2", code: "TRANSITION_TIMEOUT" },
      manifest: { version: 2 },
      module: { name: "lp_n1" },
      exposed: ["CVE-2026-0002"],
    });
    expect(s.pending.map((p) => p.id)).toEqual(["b"]);
  });
});
