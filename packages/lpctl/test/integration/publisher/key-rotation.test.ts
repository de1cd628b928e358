/**
 * Key rotation end to end with the CLI and real keys: keys rotate → publish
 * with the new key and the key list → GnuPG checks the list's signatures →
 * mirror --key (pinning only the old key) follows the chain. A list signed
 * by the new key alone is refused.
 */
import { execa } from "execa";
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createOpenpgpSigner } from "../../../src/core/sign/openpgp-signer.js";
import {
  BUILT_COMMIT,
  lpctl,
  REPO_ROOT,
  tempDir,
  writeBuildOutputs,
} from "@livepatch-gitops/test-support/publisher-helpers";

async function gpgVerifyWith(keys: string[], file: string): Promise<string> {
  const home = await tempDir("gnupg");
  await execa("chmod", ["700", home]);
  for (const k of keys) await execa("gpg", ["--homedir", home, "--batch", "--import", k]);
  const r = await execa(
    "gpg",
    ["--homedir", home, "--batch", "--status-fd", "1", "--verify", `${file}.asc`, file],
    { reject: false },
  );
  return `${r.exitCode} ${(r.stdout.match(/GOODSIG/g) ?? []).length}`;
}

describe("key rotation with lpctl keys rotate", () => {
  it("introduces a new key that hosts pinning the old one follow; a broken chain is refused", async () => {
    const tmp = await tempDir("rotate");
    for (const k of ["old", "new"])
      expect((await lpctl("keygen", "--name", k, "--out", join(tmp, k))).code).toBe(0);
    const [oldPub, oldSec] = [
      join(tmp, "old/signing-key.pub.asc"),
      join(tmp, "old/signing-key.asc"),
    ];
    const [newPub, newSec] = [
      join(tmp, "new/signing-key.pub.asc"),
      join(tmp, "new/signing-key.asc"),
    ];
    const mirror = join(tmp, "mirror");
    const lists = join(tmp, "lists");
    await mkdir(lists);
    const publish = (key: string, tag: string, ...extra: string[]) =>
      writeBuildOutputs(join(tmp, tag), ["lab-a"], tag).then(() =>
        lpctl(
          ...["publish", "--reports", join(tmp, tag), "--key", key, "--repository", "o/r"],
          ...["--checkout", REPO_ROOT, "--expect-commit", BUILT_COMMIT, "--to", mirror, ...extra],
        ),
      );
    expect((await publish(oldSec, "v1")).code).toBe(0);

    const rotate = await lpctl(
      ...["keys", "rotate", "--dir", lists, "--pinned", oldPub, "--keys", newPub],
      ...["--sign-with", oldSec, newSec],
    );
    expect(rotate.code, rotate.err).toBe(0);
    expect(rotate.out).toMatch(/key list version 1, 1 key, threshold 1/);
    expect(await gpgVerifyWith([oldPub, newPub], join(lists, "keys-1.json"))).toBe("0 2");

    // The retired key may no longer publish with the lists: hosts would refuse it.
    const retired = await publish(oldSec, "v1b", "--key-lists", lists);
    expect(retired.code).toBe(1);
    expect(retired.err).toMatch(/is not in .*keys-1\.json/);

    // The new key signs v2; the old key vouches for v1 (--previous-key).
    const v2 = await publish(newSec, "v2", "--previous-key", oldPub, "--key-lists", lists);
    expect(v2.code, v2.err).toBe(0);
    expect(await readdir(mirror)).toContain("keys-1.json");
    const manifest = join(mirror, "manifest.json");
    const pinnedOnly = await lpctl("verify", "--manifest", manifest, "--key", oldPub);
    expect(pinnedOnly.code).toBe(2);
    const chained = await lpctl(
      ...["verify", "--manifest", manifest, "--key", oldPub, "--key-lists", mirror],
    );
    expect(chained.code, chained.err).toBe(0);

    const copied = await lpctl(
      "mirror",
      "--from",
      mirror,
      "--to",
      join(tmp, "m2"),
      "--key",
      oldPub,
    );
    expect(copied.code, copied.err).toBe(0);
    expect(await readdir(join(tmp, "m2"))).toEqual(
      expect.arrayContaining(["keys-1.json", "keys-1.json.asc"]),
    );

    // Broken chain: a list only the new key signed; hosts pinning the old key refuse it.
    const forged = join(tmp, "forged");
    await mkdir(forged);
    for (const n of await readdir(mirror)) await copyFile(join(mirror, n), join(forged, n));
    const listBytes = await readFile(join(mirror, "keys-1.json"));
    const newSigner = await createOpenpgpSigner(await readFile(newSec, "utf8"));
    await writeFile(join(forged, "keys-1.json.asc"), await newSigner.sign(listBytes));
    const refused = await lpctl(
      "mirror",
      "--from",
      forged,
      "--to",
      join(tmp, "m3"),
      "--key",
      oldPub,
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/keys-1\.json is not signed by 1 of the keys this host trusts/);
    await expect(readdir(join(tmp, "m3"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
