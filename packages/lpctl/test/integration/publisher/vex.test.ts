/**
 * Not-live-patchable records and OpenVEX, end to end through `lpctl
 * publish --to DIR` from a checkout with a records-only patch directory:
 * the records reach the manifest entries, every kernel gets a signed
 * vex-<build-id>.json that GnuPG verifies and the official OpenVEX schema
 * accepts, `lpctl mirror --key` copies it and refuses a swapped one, and
 * a conflicting record is refused by validate and by publish.
 */
import { cp, copyFile, readFile, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ManifestSchema, type Manifest } from "../../../src/core/manifest.js";
import { openvexErrors } from "@livepatch-gitops/test-support/openvex-schema";
import { RECORD, recordsPatchYaml } from "@livepatch-gitops/test-support/records-patch";
import {
  BUILT_COMMIT,
  gpgVerifyAll,
  lpctl,
  REPO_ROOT,
  tempDir,
  writeBuildOutputs,
} from "@livepatch-gitops/test-support/publisher-helpers";

const TARGETS = ["debian-12-cloud-amd64", "debian-6.1-lab"];
const RECORDS = recordsPatchYaml("debian-*");

let tmp: string;
let checkout: string;
let key: string;
let pub: string;

beforeAll(async () => {
  tmp = await tempDir("vex");
  const keys = join(tmp, "keys");
  expect((await lpctl("keygen", "--name", "VEX Test", "--out", keys)).code).toBe(0);
  key = join(keys, "signing-key.asc");
  pub = join(keys, "signing-key.pub.asc");
  checkout = join(tmp, "checkout");
  for (const d of ["kernels", "patches"])
    await cp(join(REPO_ROOT, d), join(checkout, d), { recursive: true });
  await mkdir(join(checkout, "patches/sk-buff-layout"));
  await writeFile(join(checkout, "patches/sk-buff-layout/patch.yaml"), RECORDS);
  await writeBuildOutputs(join(tmp, "b"), TARGETS, "v1");
});

const publish = (to: string, repo = checkout) =>
  lpctl(
    "publish",
    "--reports",
    join(tmp, "b"),
    "--key",
    key,
    "--repository",
    "o/r",
    "--expect-commit",
    BUILT_COMMIT,
    "--checkout",
    repo,
    "--to",
    to,
  );

describe("records and VEX through lpctl publish --to", () => {
  it("publishes records on every target and a signed, schema-valid VEX document per kernel", async () => {
    expect((await lpctl("validate", "--repo", checkout)).code).toBe(0);
    const mirror = join(tmp, "mirror");
    const r = await publish(mirror);
    expect(r.code, r.err).toBe(0);
    const manifest: Manifest = ManifestSchema.parse(
      JSON.parse(await readFile(join(mirror, "manifest.json"), "utf8")),
    );
    for (const k of manifest.kernels) expect(k.notLivePatchable).toEqual([RECORD]);

    const vexFiles = (await readdir(mirror)).filter((n) => /^vex-[0-9a-f]+\.json$/.test(n)).sort();
    expect(vexFiles).toEqual(manifest.kernels.map((k) => `vex-${k.buildId}.json`).sort());
    const gpg = await gpgVerifyAll(mirror, pub);
    for (const f of vexFiles) expect(gpg.get(`${f}.asc`)).toBe("GOODSIG");

    for (const k of manifest.kernels) {
      const doc = JSON.parse(await readFile(join(mirror, `vex-${k.buildId}.json`), "utf8")) as {
        timestamp: string;
        statements: {
          vulnerability: { name: string };
          status: string;
          products: { "@id": string }[];
        }[];
      };
      expect(openvexErrors(doc)).toBe("");
      expect(doc.timestamp).toBe(manifest.issued);
      expect(doc.statements.map((s) => `${s.vulnerability.name} ${s.status}`)).toEqual([
        "CVE-2026-10001 fixed",
        "CVE-2026-10002 fixed",
        "CVE-2024-1234 affected",
      ]);
      expect(doc.statements[0]?.products[0]?.["@id"]).toContain(`build-id=${k.buildId}`);
    }

    // lpctl mirror --key carries the VEX documents, checked.
    const copy = join(tmp, "copy");
    const m = await lpctl("mirror", "--from", mirror, "--to", copy, "--key", pub);
    expect(m.code, m.err).toBe(0);
    expect((await readdir(copy)).filter((n) => n.startsWith("vex-")).sort()).toEqual(
      vexFiles.flatMap((f) => [f, `${f}.asc`]).sort(),
    );

    // A validly signed VEX of the other kernel, swapped in, is refused.
    const [a, b] = vexFiles;
    if (a === undefined || b === undefined) throw new Error("two VEX files expected");
    const swapped = join(tmp, "swapped");
    await cp(mirror, swapped, { recursive: true });
    await copyFile(join(mirror, a), join(swapped, b));
    await copyFile(join(mirror, `${a}.asc`), join(swapped, `${b}.asc`));
    const refused = await lpctl("mirror", "--from", swapped, "--to", join(tmp, "m2"), "--key", pub);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/VEX_MISMATCH: .*vex-[0-9a-f]+\.json is not the OpenVEX document/);
  });

  it("refuses a record for a CVE another patch live patches, in validate and in publish", async () => {
    const bad = join(tmp, "bad-checkout");
    await cp(checkout, bad, { recursive: true });
    await writeFile(
      join(bad, "patches/sk-buff-layout/patch.yaml"),
      RECORDS.replace("CVE-2024-1234", "CVE-2026-10001"),
    );
    const v = await lpctl("validate", "--repo", bad);
    expect(v.code).toBe(1);
    expect(v.out + v.err).toMatch(
      /patches\/sk-buff-layout\/patch\.yaml: notLivePatchable\[0\]\.cve: CVE-2026-10001 is declared not live patchable here but live patched in patch .cmdline-banner./,
    );
    const to = join(tmp, "never");
    const r = await publish(to, bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /CVE_CONFLICT: patches\/cmdline-banner\/patch\.yaml: cves\[0\]: CVE-2026-10001/,
    );
    await rm(to, { recursive: true, force: true });
  });

  it("refuses a records-only patch.yaml with a bad fixedIn or CVE id instead of dropping its records", async () => {
    for (const [from, to, field] of [
      ["6.1.119-1", '">= 6.1.119"', "fixedIn"],
      ["CVE-2024-1234", "CVE-24-1", "cve"],
    ] as const) {
      const bad = join(tmp, `bad-${field}`);
      await cp(checkout, bad, { recursive: true });
      await writeFile(join(bad, "patches/sk-buff-layout/patch.yaml"), RECORDS.replace(from, to));
      const to_ = join(tmp, `never-${field}`);
      const r = await publish(to_, bad);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        new RegExp(
          `SCHEMA_INVALID: patches/sk-buff-layout/patch\\.yaml: notLivePatchable\\[0\\]\\.${field}: `,
        ),
      );
      // Nothing written (the lock may have created the directory).
      expect(await readdir(to_).catch(() => [])).toEqual([]);
    }
  });
});
