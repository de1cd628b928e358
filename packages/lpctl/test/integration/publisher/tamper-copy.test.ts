/**
 * Tamper suite for `lpctl mirror --key` and `lpctl verify --build-id`: a
 * published directory with one bad file is refused whole, nothing written;
 * a per-kernel manifest is bound to the build-id it is read for.
 */
import { copyFile, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import {
  BUILT_COMMIT,
  lpctl,
  REPO_ROOT,
  tempDir,
  writeBuildOutputs,
} from "@livepatch-gitops/test-support/publisher-helpers";

let tmp: string;
let src: string;
let pub: string;
let buildIds: string[];

beforeEach(async () => {
  tmp = await tempDir("tamper-copy");
  src = join(tmp, "src");
  pub = join(tmp, "keys/signing-key.pub.asc");
  expect((await lpctl("keygen", "--name", "Own", "--out", join(tmp, "keys"))).code).toBe(0);
  await writeBuildOutputs(join(tmp, "b"), ["lab-a", "lab-b"], "v1");
  const r = await lpctl(
    ...["publish", "--reports", join(tmp, "b"), "--key", join(tmp, "keys/signing-key.asc")],
    ...["--repository", "o/r", "--checkout", REPO_ROOT, "--expect-commit", BUILT_COMMIT],
    ...["--to", src],
  );
  expect(r.code, r.err).toBe(0);
  buildIds = (await readdir(src))
    .filter((n) => /^kernel-[0-9a-f]+\.json$/.test(n))
    .map((n) => n.slice(7, -5));
});

const mirror = (to: string): ReturnType<typeof lpctl> =>
  lpctl("mirror", "--from", src, "--to", to, "--key", pub);

async function expectRefused(pattern: string): Promise<void> {
  const to = join(tmp, "dst");
  const r = await mirror(to);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(new RegExp(pattern));
  await expect(readdir(to)).rejects.toMatchObject({ code: "ENOENT" });
}

describe("lpctl mirror --key verifies every file before writing", () => {
  it("a tampered module is refused", async () => {
    const ko = (await readdir(src)).find((n) => n.endsWith(".ko")) ?? "";
    const bytes = await readFile(join(src, ko));
    bytes[10] = (bytes[10] ?? 0) ^ 1;
    await writeFile(join(src, ko), bytes);
    await expectRefused("differs from the manifest");
  });

  it("another kernel's manifest under this kernel's name is refused", async () => {
    const [a = "", b = ""] = buildIds;
    await copyFile(join(src, `kernel-${b}.json`), join(src, `kernel-${a}.json`));
    await copyFile(join(src, `kernel-${b}.json.asc`), join(src, `kernel-${a}.json.asc`));
    await expectRefused(`holds ${b}`);
  });

  it("a manifest whose signature fails is refused before its JSON is parsed", async () => {
    // Invalid JSON with a foreign signature: the signature is the error, not the JSON.
    await writeFile(join(src, "manifest.json"), "{not json");
    await expectRefused("SIGNATURE_INVALID|does not match");
  });
});

describe("lpctl verify binds kernel-<id>.json to its build-id", () => {
  it("refuses kernel-<B>.json read as kernel-<A>.json, by name or by --build-id", async () => {
    const [a = "", b = ""] = buildIds;
    const ok = await lpctl("verify", "--manifest", join(src, `kernel-${a}.json`), "--key", pub);
    expect(ok.code, ok.err).toBe(0);
    const swapped = join(tmp, `kernel-${a}.json`);
    await copyFile(join(src, `kernel-${b}.json`), swapped);
    await copyFile(join(src, `kernel-${b}.json.asc`), `${swapped}.asc`);
    const byName = await lpctl("verify", "--manifest", swapped, "--key", pub);
    expect(byName.code).toBe(2);
    expect(byName.err).toMatch(/fetched for build-id .* but holds/);
    const other = join(src, `kernel-${b}.json`);
    const byFlag = await lpctl("verify", "--manifest", other, "--key", pub, "--build-id", a);
    expect(byFlag.code).toBe(2);
    const full = join(src, "manifest.json");
    expect((await lpctl("verify", "--manifest", full, "--key", pub, "--build-id", a)).code).toBe(2);
  });
});
