import { execa } from "execa";
import { mkdir, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { LAB_BUILD_ID, LAB_RELEASE, makeFakeRoot } from "../../unit/agent/helpers/fake-host.js";
import {
  fakeModule,
  kernelEntry,
  manifestOf,
  publishDir,
} from "../../unit/agent/helpers/publish-dir.js";
import { makeSigner, NOW } from "../../unit/agent/helpers/scenario.js";
import { signKeyList } from "../../../src/publisher/sign-key-list.js";

let dir = "";
let file = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-bundle-"));
  file = path.join(dir, "lpctl-agent.mjs");
  await execa("node", ["scripts/build-agent-bundle.mjs", file]);
});

describe("single-file agent bundle", () => {
  it("holds only the host commands and runs with a bare node", async () => {
    expect((await stat(file)).size).toBeLessThan(1_500_000);
    const text = await readFile(file, "utf8");
    expect(text).not.toMatch(/@octokit|probot/i);
    // Run from a directory without node_modules: everything is inside.
    const help = await execa("node", [file, "--help"], { cwd: dir });
    expect(help.stdout).toMatch(/^\s+sync \[options\]/m);
    expect(help.stdout).toMatch(/^\s+status \[options\]/m);
    expect(help.stdout).toMatch(/^\s+revert \[options\]/m);
    expect(help.stdout).toMatch(/^\s+install-units \[options\]/m);
    expect(help.stdout).not.toMatch(/validate|kernel prepare|publish/);
    const version = await execa("node", [file, "--version"], { cwd: dir });
    expect(version.stdout).toBe(
      (JSON.parse(await readFile("package.json", "utf8")) as { version: string }).version,
    );
    // The units are baked in: no contrib/ beside the bundle.
    const units = await execa(
      "node",
      [file, "install-units", "--root", dir, "--config", "/etc/lpctl/b.yaml", "--json"],
      { cwd: dir },
    );
    expect(JSON.parse(units.stdout)).toMatchObject({ config: "/etc/lpctl/b.yaml" });
    const service = await readFile(path.join(dir, "etc/systemd/system/lpctl-sync.service"), "utf8");
    expect(service).toMatch(/^ExecStart=\/usr\/bin\/lpctl sync --config \/etc\/lpctl\/b\.yaml$/m);
    const bad = await execa("node", [file, "status", "--root", dir], { cwd: dir, reject: false });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/config\.yaml/);
  });

  it("verifies with the lazily loaded OpenPGP: nothing to apply (0), unpinned signer refused (2)", async () => {
    const pinned = await makeSigner();
    const stranger = await makeSigner("stranger");
    const root = await makeFakeRoot([pinned.publicKey]);
    const mod = fakeModule("lp_b");
    // An entry for another release: verified, selected none → exit 0 without loading.
    const entry = kernelEntry({
      release: `${LAB_RELEASE}-x`,
      buildId: LAB_BUILD_ID,
      module: mod,
      patches: [],
    });
    const good = path.join(root, "srv/good");
    const evil = path.join(root, "srv/evil");
    await publishDir(good, manifestOf(1, [entry], NOW), [mod], pinned.signer);
    await publishDir(evil, manifestOf(2, [entry], NOW), [mod], stranger.signer);
    await mkdir(path.join(root, "etc/lpctl"), { recursive: true });
    const run = async (mirror: string) => {
      const cfg = `source: ${pathToFileURL(mirror).href}/\nrepository: example/livepatches\nkeys: [/etc/lpctl/keys/key0.asc]\n`;
      await writeFile(path.join(root, "etc/lpctl/config.yaml"), cfg);
      return execa("node", [file, "sync", "--root", root], { cwd: dir, reject: false });
    };
    const ok = await run(good);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/nothing to apply/);
    const refused = await run(evil);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/not pinned/);
  });

  it("follows a signed key list to a new key (the lazily loaded chain code)", async () => {
    const pinned = await makeSigner("pinned");
    const next = await makeSigner("next");
    const root = await makeFakeRoot([pinned.publicKey]);
    const mod = fakeModule("lp_k");
    const entry = kernelEntry({
      release: `${LAB_RELEASE}-x`,
      buildId: LAB_BUILD_ID,
      module: mod,
      patches: [],
    });
    const mirror = path.join(root, "srv/rotated");
    await publishDir(mirror, manifestOf(1, [entry], NOW), [mod], next.signer);
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
    await mkdir(path.join(root, "etc/lpctl"), { recursive: true });
    const cfg = `source: ${pathToFileURL(mirror).href}/\nrepository: example/livepatches\nkeys: [/etc/lpctl/keys/key0.asc]\n`;
    await writeFile(path.join(root, "etc/lpctl/config.yaml"), cfg);
    const r = await execa("node", [file, "sync", "--root", root], { cwd: dir, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/accepted key list version 1/);
  });
});
