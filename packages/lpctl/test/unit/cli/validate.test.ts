import { cp, mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run.js";
import { STYLE_DIR, STYLE_FIXTURES } from "@livepatch-gitops/test-support/patch-styles";
import { cleanupRepos, copyRealRepo, REPO_ROOT } from "@livepatch-gitops/test-support/repo-fixture";

afterAll(cleanupRepos);

async function lpctl(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** Every path under `dir` with its size and mtime, to prove nothing was written. */
async function listing(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  const rows = await Promise.all(
    names.map(async (n) => {
      const st = await stat(join(dir, n));
      return `${n} ${st.size} ${st.mtimeMs}`;
    }),
  );
  return rows.sort();
}

describe("lpctl validate", () => {
  it("passes on this repository", async () => {
    const r = await lpctl("validate", "--repo", REPO_ROOT);
    expect(r).toEqual({ code: 0, out: ["2 kernel targets, 2 patches: ok"], err: [] });
  });

  it("checks the rings file with the rules the app's rings check and every publish apply", async () => {
    const dir = await copyRealRepo();
    await mkdir(join(dir, ".github"), { recursive: true });
    await writeFile(
      join(dir, ".github/livepatch-rings.yml"),
      "rings:\n  - name: canary\n  - name: stable\n",
    );
    const r = await lpctl("validate", "--repo", dir);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      ".github/livepatch-rings.yml: rings[1].release: ring 'stable' needs the release it runs (release: N, tag vN)",
      "2 kernel targets, 2 patches: 1 problem",
    ]);
  });

  it("lists every problem, one line each, then the count, and exits 1", async () => {
    const dir = await copyRealRepo();
    await writeFile(
      join(dir, "patches/cmdline-banner/patch.yaml"),
      "title: t\ndescription: d\nkernels: [debian-6.1-lab, debian-6.2]\n",
    );
    await writeFile(join(dir, "patches/version-banner/0001-version-banner.patch"), "not a diff\n");
    const r = await lpctl("validate", "--repo", dir);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      "patches/cmdline-banner/patch.yaml: kernels[1]: no kernel target 'debian-6.2' (known: debian-12-cloud-amd64, debian-6.1-lab)",
      "patches/version-banner/0001-version-banner.patch: not a unified diff: no '---'/'+++' file headers found",
      "2 kernel targets, 0 patches: 2 problems",
    ]);
  });

  it("prints a JSON document with --json", async () => {
    const dir = await copyRealRepo();
    await writeFile(join(dir, "kernels/debian-6.1-lab/config.fragment"), "CONFIG_X=maybe\n");
    const r = await lpctl("validate", "--repo", dir, "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out.join("\n"))).toEqual({
      ok: false,
      targets: ["debian-12-cloud-amd64"],
      patches: ["cmdline-banner", "version-banner"],
      problems: [
        {
          file: "kernels/debian-6.1-lab/config.fragment",
          path: "line 1",
          code: "SCHEMA_INVALID",
          message: `'CONFIG_X=maybe' is not CONFIG_X=y|m|n|"string"|number or '# CONFIG_X is not set'`,
        },
      ],
    });
  });

  it("succeeds with --json on this repository", async () => {
    const r = await lpctl("validate", "--json", "--repo", REPO_ROOT);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.join("\n"))).toMatchObject({ ok: true, problems: [] });
  });

  it("writes nothing, even into a broken repository", async () => {
    const dir = await copyRealRepo();
    await writeFile(join(dir, "kernels/debian-6.1-lab/target.yaml"), "release: [\n");
    const before = await listing(dir);
    const r = await lpctl("validate", "--repo", dir);
    expect(r.code).toBe(1);
    expect(await listing(dir)).toEqual(before);
  });

  it("fails with a message when the repository does not exist", async () => {
    const r = await lpctl("validate", "--repo", "/nonexistent/lpctl-repo");
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(
      /^lpctl: REPO_INVALID: cannot read repository '\/nonexistent\/lpctl-repo'/,
    );
  });

  it("accepts a patch in every common style, as lpctl lint does, and lint warns on the style the repository does not ask for", async () => {
    const dir = await copyRealRepo();
    for (const [d] of STYLE_FIXTURES)
      await cp(join(STYLE_DIR, d), join(dir, "patches", d), { recursive: true });
    const r = await lpctl("validate", "--repo", dir);
    expect(r).toEqual({ code: 0, out: ["2 kernel targets, 6 patches: ok"], err: [] });

    const files = STYLE_FIXTURES.map(([d, f]) => join(dir, "patches", d, f));
    expect(await lpctl("lint", "--repo", dir, ...files)).toMatchObject({
      code: 0,
      out: ["no findings in 4 patches"],
    });
    await mkdir(join(dir, ".github"));
    await writeFile(join(dir, ".github/livepatch.yml"), "patchStyle: quilt\n");
    const styled = await lpctl("lint", "--repo", dir, ...files);
    expect(styled.code).toBe(0);
    expect(styled.out.at(-1)).toBe("0 errors, 3 warnings in 4 patches");
    expect(styled.out.filter((l) => l.includes("warning patch-file: written in the"))).toHaveLength(
      3,
    );
    expect(styled.out.join("\n")).not.toContain("0001-uptime-check.patch:");

    await writeFile(join(dir, ".github/livepatch.yml"), "patchStyle: svn\n");
    const bad = await lpctl("lint", "--repo", dir, ...files);
    expect(bad.code).toBe(1);
    expect(bad.err[0]).toContain("APP_CONFIG_INVALID");
    expect(bad.err[0]).toContain("patchStyle");
  });
});
