/**
 * Tamper suite, publisher side, with mirror directories and real keys:
 * forged inputs and hostile build reports are refused with nothing written.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import {
  BUILT_COMMIT,
  lpctl,
  REPO_ROOT,
  tempDir,
  writeBuildOutputs,
} from "@livepatch-gitops/test-support/publisher-helpers";

let tmp: string;
let mirror: string;

beforeEach(async () => {
  tmp = await tempDir("tamper");
  mirror = join(tmp, "mirror");
  expect((await lpctl("keygen", "--name", "Own", "--out", join(tmp, "keys"))).code).toBe(0);
});

const publish = (reports: string, ...extra: string[]): ReturnType<typeof lpctl> =>
  lpctl(
    "publish",
    "--reports",
    reports,
    "--key",
    join(tmp, "keys/signing-key.asc"),
    "--repository",
    "o/r",
    "--checkout",
    REPO_ROOT,
    "--expect-commit",
    BUILT_COMMIT,
    ...extra,
  );

describe("publish refuses forged inputs", () => {
  it("--previous FILE must verify with FILE.asc", async () => {
    await writeBuildOutputs(join(tmp, "b1"), ["lab-a"], "v1");
    expect((await publish(join(tmp, "b1"), "--to", mirror)).code).toBe(0);
    const forged = join(tmp, "previous.json");
    const text = await readFile(join(mirror, "manifest.json"), "utf8");
    await writeFile(forged, text.replace('"version":1', '"version":41'));
    await writeFile(`${forged}.asc`, await readFile(join(mirror, "manifest.json.asc")));
    const out = join(tmp, "out");
    const r = await publish(join(tmp, "b1"), "--previous", forged, "--to", out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/previous\.json: does not verify/);
    await expect(readdir(out)).resolves.toEqual([]);
    const unsigned = join(tmp, "unsigned.json");
    await writeFile(unsigned, text);
    const r2 = await publish(join(tmp, "b1"), "--previous", unsigned, "--to", out);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/SIGNATURE_MISSING/);
  });

  it("a module name already published with other bytes is refused", async () => {
    await writeBuildOutputs(join(tmp, "b1"), ["lab-a"], "v1");
    expect((await publish(join(tmp, "b1"), "--to", mirror)).code).toBe(0);
    const before = await readdir(mirror);
    // Same tag, so the same module name, but different bytes (a rebuild).
    await writeBuildOutputs(join(tmp, "b2"), ["lab-a"], "v1", 8192);
    const r = await publish(join(tmp, "b2"), "--to", mirror);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /livepatch_v1_lab_a of target 'lab-a' was published in version 1 with sha256/,
    );
    expect(await readdir(mirror)).toEqual(before);
  });

  it("a build report whose target escapes the directory is refused, nothing written", async () => {
    await writeBuildOutputs(join(tmp, "b"), ["lab-a"], "v1");
    const reportPath = join(tmp, "b/lab-a/build-report.json");
    const report = JSON.parse(await readFile(reportPath, "utf8")) as { target: string };
    report.target = "x/../../escaped";
    await writeFile(reportPath, JSON.stringify(report));
    await mkdir(mirror);
    const r = await publish(join(tmp, "b"), "--to", mirror);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/target: must be a target id/);
    expect(await readdir(mirror)).toEqual([]);
    expect(await readdir(dirname(mirror))).not.toContain("escaped.json");
  });

  it("concurrent publishes to one mirror get distinct, increasing versions", async () => {
    await writeBuildOutputs(join(tmp, "b1"), ["lab-a"], "v1");
    await writeBuildOutputs(join(tmp, "b2"), ["lab-a"], "v2");
    const runs = await Promise.all([
      publish(join(tmp, "b1"), "--to", mirror, "--json"),
      publish(join(tmp, "b2"), "--to", mirror, "--json"),
    ]);
    for (const r of runs) expect(r.code, r.err).toBe(0);
    const versions = runs.map((r) => (JSON.parse(r.out) as { version: number }).version);
    expect(versions.sort()).toEqual([1, 2]);
    const final = JSON.parse(await readFile(join(mirror, "manifest.json"), "utf8")) as {
      version: number;
    };
    expect(final.version).toBe(2);
    expect(await readdir(mirror)).not.toContain(".lpctl-publish.lock");
  });
});

describe("publish checks the provenance of the build reports", () => {
  it("refuses another commit, a pull request build, and reports without a source", async () => {
    await writeBuildOutputs(join(tmp, "b"), ["lab-a"], "v1");
    const other = await publish(join(tmp, "b"), "--to", mirror, "--expect-commit", "f".repeat(40));
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/built from 0123.*not the expected ffff/);
    const source = {
      repository: "o/r",
      commit: BUILT_COMMIT,
      ref: "refs/pull/7/merge",
      event: "pull_request",
      workflowRun: "99",
    };
    await writeBuildOutputs(join(tmp, "pr"), ["lab-a"], "v1", 4096, source);
    const pr = await publish(join(tmp, "pr"), "--to", mirror);
    expect(pr.code).toBe(2);
    expect(pr.err).toMatch(/pull_request build/);
    await writeBuildOutputs(join(tmp, "local"), ["lab-a"], "v1", 4096, null);
    const local = await publish(join(tmp, "local"), "--to", mirror);
    expect(local.code).toBe(2);
    expect(local.err).toMatch(/records no source/);
    const foreign = { ...source, repository: "mallory/r", event: "push" };
    await writeBuildOutputs(join(tmp, "foreign"), ["lab-a"], "v1", 4096, foreign);
    const f = await publish(join(tmp, "foreign"), "--to", mirror);
    expect(f.code).toBe(2);
    expect(f.err).toMatch(/built from mallory\/r, but the manifest is for o\/r/);
    await expect(readdir(mirror)).resolves.toEqual([]);
  });

  it("records the commit each module was built from in the manifest", async () => {
    await writeBuildOutputs(join(tmp, "b"), ["lab-a", "lab-b"], "v1");
    const r = await publish(join(tmp, "b"), "--to", mirror, "--expect-run", "4242");
    expect(r.code, r.err).toBe(0);
    const m = JSON.parse(await readFile(join(mirror, "manifest.json"), "utf8")) as {
      kernels: { commit?: string }[];
    };
    expect(m.kernels.map((k) => k.commit)).toEqual([BUILT_COMMIT, BUILT_COMMIT]);
    const wrongRun = await publish(join(tmp, "b"), "--to", mirror, "--expect-run", "1");
    expect(wrongRun.code).toBe(2);
  });
});
