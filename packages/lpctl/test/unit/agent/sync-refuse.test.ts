import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run.js";
import { kernelManifestName } from "../../../src/core/manifest.js";
import { LAB_BUILD_ID } from "./helpers/fake-host.js";
import { makeSigner, NOW, scenario, type Scenario, code } from "./helpers/scenario.js";

let keys: Awaited<ReturnType<typeof makeSigner>>;
let stranger: Awaited<ReturnType<typeof makeSigner>>;
let s: Scenario;
beforeAll(async () => {
  keys = await makeSigner();
  stranger = await makeSigner("not pinned");
});
afterEach(async () => {
  await s.close();
});

const KERNEL_JSON = kernelManifestName(LAB_BUILD_ID);

/**
 * Applied v1, then a refused sync: v1 stays applied and recorded, the error
 * too. A refusal of v2's module keeps the verified v2 manifest (what the host
 * should run, so status lists its patches as pending) and records the failed apply.
 */
async function expectUntouched(code: string, manifestVersion = 1) {
  const st = await s.state();
  expect(st.applied?.name).toBe("lp_v1");
  expect(st.manifest?.version).toBe(manifestVersion);
  if (manifestVersion > 1) {
    expect(st.failedApply).toMatchObject({ name: "lp_v2", manifestVersion, code });
  } else expect(st.failedApply).toBeUndefined();
  expect(st.lastError?.code).toBe(code);
  expect(await s.livepatch("lp_v1")).toBe("1");
  expect(await readdir(path.join(s.root, "var/lib/lpctl/modules"))).toEqual(["lp_v1.ko"]);
}

describe("lpctl sync: refusing", () => {
  it("rollback: an older version signed by the right key is refused", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.publish(2, "lp_v2", ["a", "b"]);
    await s.sync();
    await s.publish(1, "lp_v1", ["a"]);
    expect(await code(s.sync({ force: true }))).toBe("MANIFEST_ROLLBACK");
    expect((await s.state()).manifest?.version).toBe(2);
    expect(await s.livepatch("lp_v2")).toBe("1");
  });

  it("expired manifest is refused (freeze)", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.publish(2, "lp_v2", ["a", "b"], { days: -1 });
    expect(await code(s.sync())).toBe("MANIFEST_EXPIRED");
    await expectUntouched("MANIFEST_EXPIRED");
  });

  it("a stored manifest that expired is refused even on 304", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    const later = new Date(NOW.getTime() + 15 * 86_400_000);
    expect(await code(s.sync({ now: later }))).toBe("MANIFEST_EXPIRED");
  });

  it("a manifest signed by an unpinned key is refused", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.publish(2, "lp_v2", ["a", "b"], { signer: stranger.signer });
    expect(await code(s.sync())).toBe("SIGNATURE_UNTRUSTED");
    await expectUntouched("SIGNATURE_UNTRUSTED");
  });

  it("a tampered manifest is refused", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.publish(2, "lp_v2", ["a", "b"]);
    const body = await readFile(path.join(s.mirrorDir, KERNEL_JSON), "utf8");
    s.server.replace.set(KERNEL_JSON, Buffer.from(body.replace('"fix b"', '"fix B"')));
    expect(await code(s.sync())).toBe("SIGNATURE_INVALID");
    await expectUntouched("SIGNATURE_INVALID");
    expect(s.log.some((l) => l.includes("fetching it again once"))).toBe(true);
  });

  it("a manifest swapped between fetching it and its signature is fetched once more", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    const oldAsc = await readFile(path.join(s.mirrorDir, `${KERNEL_JSON}.asc`));
    await s.publish(2, "lp_v2", ["a", "b"]);
    // Mid-publish: the new manifest is in place, its signature not yet.
    s.server.replace.set(`${KERNEL_JSON}.asc`, oldAsc);
    let ascRequests = 0;
    const push = s.server.requests.push.bind(s.server.requests);
    s.server.requests.push = (...items: string[]) => {
      if (
        items.some((r) => r.startsWith(`GET /storage/${KERNEL_JSON}.asc`)) &&
        ++ascRequests === 2
      ) {
        s.server.replace.delete(`${KERNEL_JSON}.asc`);
      }
      return push(...items);
    };
    expect(await s.sync()).toBe("applied");
    expect(ascRequests).toBe(2);
    expect((await s.state()).manifest?.version).toBe(2);
  });

  it("sha256 mismatch: refused, nothing written, nothing loaded", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    const mod = await s.publish(2, "lp_v2", ["a", "b"]);
    const evil = Buffer.from(mod.bytes);
    evil[evil.length - 1] ^= 1;
    s.server.replace.set(mod.file, evil);
    expect(await code(s.sync())).toBe("DIGEST_MISMATCH");
    await expectUntouched("DIGEST_MISMATCH", 2);
    expect(s.loader.calls).toEqual(["load lp_v1"]);
  });

  it("length exceeded: the download is aborted past the manifest length", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    const mod = await s.publish(2, "lp_v2", ["a", "b"]);
    s.server.appendJunk.set(mod.file, 256 * 1024 * 1024);
    const before = s.server.wireBytes();
    expect(await code(s.sync())).toBe("DOWNLOAD_TOO_LARGE");
    await expectUntouched("DOWNLOAD_TOO_LARGE", 2);
    // Aborted early: a fraction of the 256 MiB the server tried to send
    // (what the loopback socket buffers held when the client hung up).
    expect(s.server.wireBytes() - before).toBeLessThan(32 * 1024 * 1024);
  });

  it("kernel not covered: 404 → KERNEL_NOT_COVERED and exit 3 from the CLI", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_other", ["a"]);
    s.server.replace.clear();
    await rm(path.join(s.mirrorDir, KERNEL_JSON));
    await rm(path.join(s.mirrorDir, `${KERNEL_JSON}.asc`));
    expect(await code(s.sync())).toBe("KERNEL_NOT_COVERED");
    const cfg = path.join(s.root, "etc/lpctl/config.yaml");
    await writeFile(
      cfg,
      `source: ${s.config.source}\nrepository: example/livepatches\nkeys: [/etc/lpctl/keys/key0.asc]\n`,
    );
    const err: string[] = [];
    const exit = await runCli(["sync", "--root", s.root], {
      out: () => undefined,
      err: (l) => err.push(l),
    });
    expect(exit).toBe(3);
    expect(err.join("\n")).toMatch(/not covered/);
  });

  it("release-only policy falls back to manifest.json and selects by release", async () => {
    s = await scenario(keys, { kernelIdentity: "release-only" });
    await s.publish(1, "lp_v1", ["a"]);
    await rm(path.join(s.mirrorDir, KERNEL_JSON));
    expect(await s.sync()).toBe("applied");
    expect((await s.state()).manifest?.name).toBe("manifest.json");
    expect(s.log.some((l) => l.includes("release-only"))).toBe(true);
  });

  it("a refused manifest gives exit 2 from the CLI", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"], { signer: stranger.signer });
    const cfg = path.join(s.root, "etc/lpctl/config.yaml");
    await writeFile(
      cfg,
      `source: ${s.config.source}\nrepository: example/livepatches\nkeys: [/etc/lpctl/keys/key0.asc]\n`,
    );
    const exit = await runCli(["sync", "--root", s.root], {
      out: () => undefined,
      err: () => undefined,
    });
    expect(exit).toBe(2);
  });

  it("a hostile mirror's 100 MB manifest exits 2 from the CLI, code first on stderr", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    s.server.appendJunk.set(KERNEL_JSON, 100 * 1024 * 1024);
    const cfg = path.join(s.root, "etc/lpctl/config.yaml");
    await writeFile(
      cfg,
      `source: ${s.config.source}\nrepository: example/livepatches\nkeys: [/etc/lpctl/keys/key0.asc]\n`,
    );
    const err: string[] = [];
    const exit = await runCli(["sync", "--root", s.root], {
      out: () => undefined,
      err: (l) => err.push(l),
    });
    expect(exit).toBe(2);
    expect(err[0]).toMatch(/^lpctl: DOWNLOAD_TOO_LARGE: kernel-\S+\.json: /);
    expect((await s.state()).lastError?.code).toBe("DOWNLOAD_TOO_LARGE");
  });
});
