/**
 * keygen → publish to a directory → lpctl verify, for an Ed25519 and an
 * RSA-4096 key; GnuPG 2.2 checks every signature the publisher wrote.
 */
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BUILT_COMMIT,
  gpgVerifyAll,
  lpctl,
  REPO_ROOT,
  tempDir,
  writeBuildOutputs,
} from "@livepatch-gitops/test-support/publisher-helpers";

describe.each([
  { kind: "ed25519", flags: [] as string[] },
  { kind: "rsa-4096", flags: ["--rsa"] },
])("publish round trip ($kind)", ({ flags }) => {
  it("keygen, publish to a directory, verify with lpctl and GnuPG, publish again, refresh", async () => {
    const tmp = await tempDir("roundtrip");
    const keys = join(tmp, "keys");
    const gen = await lpctl(
      "keygen",
      "--name",
      "Test Live Patches",
      "--email",
      "lp@example.org",
      "--out",
      keys,
      ...flags,
    );
    expect(gen.code, gen.err).toBe(0);
    expect(gen.out).toMatch(/fingerprint [0-9A-F]{40}/);
    expect((await stat(join(keys, "signing-key.asc"))).mode & 0o777).toBe(0o600);
    expect((await lpctl("keygen", "--name", "again", "--out", keys)).code).toBe(1);

    const mirror = join(tmp, "mirror");
    const key = join(keys, "signing-key.asc");
    const pub = join(keys, "signing-key.pub.asc");
    const publish = (reports: string, ...extra: string[]): ReturnType<typeof lpctl> =>
      lpctl(
        "publish",
        "--reports",
        reports,
        "--key",
        key,
        "--repository",
        "o/r",
        "--expect-commit",
        BUILT_COMMIT,
        "--checkout",
        REPO_ROOT,
        "--to",
        mirror,
        ...extra,
      );

    await writeBuildOutputs(join(tmp, "b1"), ["lab-a", "lab-b"], "v1");
    const first = await publish(join(tmp, "b1"));
    expect(first.code, first.err).toBe(0);

    const verified = await lpctl(
      "verify",
      "--manifest",
      join(mirror, "manifest.json"),
      "--key",
      pub,
      "--json",
    );
    expect(verified.code, verified.err).toBe(0);
    const summary = JSON.parse(verified.out) as {
      version: number;
      targets: { target: string; buildId: string }[];
    };
    expect(summary.version).toBe(1);
    expect(summary.targets.map((t) => t.target)).toEqual(["lab-a", "lab-b"]);
    for (const t of summary.targets) {
      const one = await lpctl(
        "verify",
        "--manifest",
        join(mirror, `kernel-${t.buildId}.json`),
        "--key",
        pub,
      );
      expect(one.code, one.err).toBe(0);
    }
    const manifest = JSON.parse(await readFile(join(mirror, "manifest.json"), "utf8")) as {
      kernels: { patches: { title: string; cves: string[] }[] }[];
    };
    expect(manifest.kernels[0]?.patches[0]).toMatchObject({
      title: "Mark /proc/cmdline as live-patched",
      cves: ["CVE-2026-10001"],
    });

    // GnuPG agrees with every .asc: modules, VEX documents, per-kernel manifests, manifest.
    const gpg = await gpgVerifyAll(mirror, pub);
    expect(gpg.size).toBe(2 * 3 + 1);
    for (const [name, result] of gpg) expect(result, name).toBe("GOODSIG");

    // Version 2: version 1's modules stay until version 3 replaces them.
    await writeBuildOutputs(join(tmp, "b2"), ["lab-a", "lab-b"], "v2");
    expect((await publish(join(tmp, "b2"))).code).toBe(0);
    let files = await readdir(mirror);
    expect(files).toContain("livepatch-v1-lab-a.ko");
    expect(files).toContain("livepatch-v2-lab-a.ko");
    await writeBuildOutputs(join(tmp, "b3"), ["lab-a"], "v3");
    expect((await publish(join(tmp, "b3"))).code).toBe(0);
    files = await readdir(mirror);
    expect(files).not.toContain("livepatch-v1-lab-a.ko");
    expect(files).toContain("livepatch-v2-lab-b.ko");
    expect(files.filter((f) => /^kernel-.*\.json$/.test(f))).toHaveLength(1);

    // Refresh: same content, next version; a host that saw version 3 accepts it.
    const refresh = await lpctl(
      "publish",
      "--refresh",
      "--key",
      key,
      "--to",
      mirror,
      "--now",
      new Date(Date.now() + 86_400_000).toISOString(),
    );
    expect(refresh.code, refresh.err).toBe(0);
    const after = await lpctl(
      "verify",
      "--manifest",
      join(mirror, "manifest.json"),
      "--key",
      pub,
      "--last-version",
      "3",
      "--json",
    );
    expect(after.code, after.err).toBe(0);
    expect(JSON.parse(after.out)).toMatchObject({ version: 4, targets: [{ target: "lab-a" }] });

    // Tampering is a security refusal (exit 2); rollback too.
    const tampered = join(tmp, "tampered.json");
    await writeFile(
      tampered,
      (await readFile(join(mirror, "manifest.json"), "utf8")).replace('"version":4', '"version":5'),
    );
    const bad = await lpctl(
      "verify",
      "--manifest",
      tampered,
      "--signature",
      join(mirror, "manifest.json.asc"),
      "--key",
      pub,
    );
    expect(bad.code).toBe(2);
    expect(
      (
        await lpctl(
          "verify",
          "--manifest",
          join(mirror, "manifest.json"),
          "--key",
          pub,
          "--last-version",
          "9",
        )
      ).code,
    ).toBe(2);
  });
});

describe("lpctl mirror", () => {
  it("copies a published directory, verifying it first", async () => {
    const tmp = await tempDir("mirror");
    await lpctl("keygen", "--name", "M", "--out", join(tmp, "keys"));
    await writeBuildOutputs(join(tmp, "b"), ["lab-a"], "v1");
    const src = join(tmp, "src");
    const pub = await lpctl(
      "publish",
      "--reports",
      join(tmp, "b"),
      "--key",
      join(tmp, "keys/signing-key.asc"),
      "--repository",
      "o/r",
      "--expect-commit",
      BUILT_COMMIT,
      "--checkout",
      REPO_ROOT,
      "--to",
      src,
    );
    expect(pub.code, pub.err).toBe(0);
    const dst = join(tmp, "dst");
    const r = await lpctl(
      "mirror",
      "--from",
      src,
      "--to",
      dst,
      "--key",
      join(tmp, "keys/signing-key.pub.asc"),
    );
    expect(r.code, r.err).toBe(0);
    // Build reports carry no signature: a verifying mirror copies only signed files.
    const signed = (await readdir(src)).filter((n) => !n.startsWith("build-report-"));
    expect((await readdir(dst)).sort()).toEqual(signed.sort());
    const stranger = await tempDir("stranger");
    await lpctl("keygen", "--name", "S", "--out", stranger);
    expect(
      (
        await lpctl(
          "mirror",
          "--from",
          src,
          "--to",
          join(tmp, "d2"),
          "--key",
          join(stranger, "signing-key.pub.asc"),
        )
      ).code,
    ).toBe(2);
  });
});

describe("publish builds only on releases signed by its own key", () => {
  it("refuses a tampered mirror (--refresh and a new version) and a foreign key's mirror", async () => {
    const tmp = await tempDir("own-signature");
    await lpctl("keygen", "--name", "Own", "--out", join(tmp, "keys"));
    await lpctl("keygen", "--name", "Stranger", "--out", join(tmp, "stranger"));
    const mirror = join(tmp, "mirror");
    await writeBuildOutputs(join(tmp, "b1"), ["lab-a"], "v1");
    const publish = (key: string, ...extra: string[]): ReturnType<typeof lpctl> =>
      lpctl(
        "publish",
        "--key",
        key,
        "--repository",
        "o/r",
        "--expect-commit",
        BUILT_COMMIT,
        "--checkout",
        REPO_ROOT,
        "--to",
        mirror,
        ...extra,
      );
    const own = join(tmp, "keys/signing-key.asc");
    const first = await publish(own, "--reports", join(tmp, "b1"));
    expect(first.code, first.err).toBe(0);

    // Someone with write access to the mirror edits a title: a refresh must
    // not re-sign it, and a new version must not build on it.
    const manifestPath = join(mirror, "manifest.json");
    const original = await readFile(manifestPath, "utf8");
    await writeFile(manifestPath, original.replace('"version":1', '"version":900'));
    const before = (await readdir(mirror)).sort();
    const refresh = await publish(own, "--refresh");
    expect(refresh.code).toBe(2);
    expect(refresh.err).toMatch(/does not verify with the publisher's own key/);
    const next = await publish(own, "--reports", join(tmp, "b1"));
    expect(next.code).toBe(2);
    expect((await readdir(mirror)).sort()).toEqual(before);

    // Intact again, but another key may not publish on top of it.
    await writeFile(manifestPath, original);
    const foreign = await publish(
      join(tmp, "stranger/signing-key.asc"),
      "--reports",
      join(tmp, "b1"),
    );
    expect(foreign.code).toBe(2);
    expect(foreign.err).toMatch(/does not verify with the publisher's own key/);
    const ok = await publish(own, "--refresh");
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(await readFile(manifestPath, "utf8"))).toMatchObject({ version: 2 });
  });
});
