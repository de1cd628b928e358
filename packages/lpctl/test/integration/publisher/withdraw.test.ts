/**
 * `lpctl publish` withdrawing modules: a checkout whose patches are all
 * marked withdrawn publishes, without builds, entries without a module for
 * the targets that had them, carries the other targets from the mirror, and
 * `lpctl verify` accepts the result.
 */
import { appendFile, cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ManifestSchema } from "../../../src/core/manifest.js";
import {
  BUILT_COMMIT,
  lpctl,
  PATCH_IDS,
  REPO_ROOT,
  tempDir,
  writeBuildOutputs,
} from "@livepatch-gitops/test-support/publisher-helpers";

const LAB = "debian-6.1-lab";

/** A copy of this repository's kernels/ and patches/, a signing key, and the flags naming both. */
async function setup(prefix: string): Promise<{ tmp: string; checkout: string; flags: string[] }> {
  const tmp = await tempDir(prefix);
  const keys = join(tmp, "keys");
  expect((await lpctl("keygen", "--name", "W", "--out", keys)).code).toBe(0);
  const checkout = join(tmp, "checkout");
  for (const d of ["kernels", "patches"])
    await cp(join(REPO_ROOT, d), join(checkout, d), { recursive: true });
  const key = join(keys, "signing-key.asc");
  return { tmp, checkout, flags: ["--key", key, "--repository", "o/r", "--checkout", checkout] };
}

/** v1 of LAB and lab-x, built and published to <tmp>/mirror; the mirror's path. */
async function publishFirst(tmp: string, common: string[]): Promise<string> {
  const mirror = join(tmp, "mirror");
  await writeBuildOutputs(join(tmp, "b1"), [LAB, "lab-x"], "v1");
  const first = await lpctl(
    "publish",
    "--reports",
    join(tmp, "b1"),
    "--expect-commit",
    BUILT_COMMIT,
    "--to",
    mirror,
    ...common,
  );
  expect(first.code, first.err).toBe(0);
  return mirror;
}

describe("lpctl publish: withdrawing", () => {
  it("publishes entries without a module for emptied targets and carries the rest", async () => {
    const { tmp, checkout, flags: common } = await setup("withdraw");
    const mirror = await publishFirst(tmp, common);

    // Without a withdrawal there is nothing to publish without builds.
    const nothing = await lpctl("publish", "--from", mirror, "--to", mirror, ...common);
    expect(nothing.code).toBe(64);
    expect(nothing.err).toContain("pass --reports DIR");

    for (const id of PATCH_IDS)
      await appendFile(
        join(checkout, "patches", id, "patch.yaml"),
        `withdrawn: {reason: "bad ${id}"}\n`,
      );
    const second = await lpctl("publish", "--from", mirror, "--to", mirror, ...common);
    expect(second.code, second.err).toBe(0);
    expect(`${second.out}\n${second.err}`).toContain(`withdrawing the module of ${LAB}`);
    const m = ManifestSchema.parse(
      JSON.parse(await readFile(join(mirror, "manifest.json"), "utf8")),
    );
    expect(m.version).toBe(2);
    const lab = m.kernels.find((k) => k.target === LAB);
    expect(lab?.module).toBeUndefined();
    expect(lab?.withdrawn?.map((w) => `${w.id}: ${w.reason} @${w.version}`)).toEqual(
      PATCH_IDS.map((id) => `${id}: bad ${id} @2`),
    );
    // lab-x is not in the checkout: carried as signed, module and all.
    const x = m.kernels.find((k) => k.target === "lab-x");
    expect(x?.module?.file).toBe("livepatch-v1-lab-x.ko");

    const verified = await lpctl(
      "verify",
      "--manifest",
      join(mirror, "manifest.json"),
      "--key",
      join(tmp, "keys", "signing-key.pub.asc"),
    );
    expect(verified.code, verified.err).toBe(0);
    expect(verified.out).toContain(`${LAB} `);
    expect(verified.out).toMatch(/no module \[\] withdrawn: cmdline-banner, version-banner/);
  });

  it("refuses to carry a mirror module that differs from the signed one (the app's carry rule too)", async () => {
    const { tmp, checkout, flags: common } = await setup("withdraw-tampered");
    const mirror = await publishFirst(tmp, common);
    await appendFile(join(mirror, "livepatch-v1-lab-x.ko"), "tampered");
    for (const id of PATCH_IDS)
      await appendFile(
        join(checkout, "patches", id, "patch.yaml"),
        `withdrawn: {reason: "bad ${id}"}\n`,
      );
    const second = await lpctl("publish", "--from", mirror, "--to", mirror, ...common);
    expect(second.code).not.toBe(0);
    expect(second.err).toContain("livepatch-v1-lab-x.ko does not match signed manifest version 1");
    const m = ManifestSchema.parse(
      JSON.parse(await readFile(join(mirror, "manifest.json"), "utf8")),
    );
    expect(m.version).toBe(1);
  });

  it("refuses a checkout whose patches do not validate: a broken patch is not a withdrawn one", async () => {
    const { tmp, checkout, flags } = await setup("withdraw-bad");
    const file = join(checkout, "patches", PATCH_IDS[0] ?? "", "patch.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("title:", "titel:"));
    const r = await lpctl(
      "publish",
      "--reports",
      join(tmp, "none"),
      "--expect-commit",
      BUILT_COMMIT,
      "--to",
      join(tmp, "mirror"),
      ...flags,
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("SCHEMA_INVALID: patches/");
    expect(r.err).toContain("run lpctl validate and fix them before publishing");
  });
});
