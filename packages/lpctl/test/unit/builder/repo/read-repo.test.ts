import { execFileSync } from "node:child_process";
import { mkdir, open, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadRepository, readRepoSnapshot } from "../../../../src/builder/repo/read-repo.js";
import { isLpctlError } from "../../../../src/core/errors.js";
import { formatProblem } from "../../../../src/core/problem.js";
import { cleanupRepos, copyRealRepo } from "@livepatch-gitops/test-support/repo-fixture";

afterAll(cleanupRepos);

const PATCH = "patches/cmdline-banner/0001-cmdline-banner.patch";

async function problemLines(dir: string): Promise<string[]> {
  const check = await loadRepository(dir);
  return check.problems.map((p) => `${p.code} ${formatProblem(p)}`);
}

describe("readRepoSnapshot", () => {
  it("reads kernels/ and patches/ of a copy of this repository without problems", async () => {
    const dir = await copyRealRepo();
    const check = await loadRepository(dir);
    expect(check.problems).toEqual([]);
    expect(check.patches.length).toBe(2);
  });

  it("records a symlink without following it, and reports it", async () => {
    const dir = await copyRealRepo();
    await rm(join(dir, PATCH));
    await symlink("/etc/passwd", join(dir, PATCH));
    const entry = (await readRepoSnapshot(dir)).find((e) => e.path === PATCH);
    expect(entry).toEqual({ path: PATCH, kind: "symlink", size: 0 });
    expect(await problemLines(dir)).toContain(
      `PATH_UNSAFE ${PATCH}: is a symbolic link; kernels/ and patches/ may hold only plain files`,
    );
  });

  it("reports a kernels/ directory that is itself a symlink", async () => {
    const dir = await copyRealRepo();
    await rm(join(dir, "kernels"), { recursive: true });
    await symlink("/etc", join(dir, "kernels"));
    expect((await problemLines(dir))[0]).toBe(
      "PATH_UNSAFE kernels: is a symbolic link; kernels/ and patches/ may hold only plain files",
    );
  });

  it("refuses a 50 MiB patch by its size, without reading it", async () => {
    const dir = await copyRealRepo();
    // A sparse file: 50 MiB long, nothing written, so the test stays fast.
    const fh = await open(join(dir, PATCH), "w");
    await fh.truncate(50 * 1024 * 1024);
    await fh.close();
    const entry = (await readRepoSnapshot(dir)).find((e) => e.path === PATCH);
    expect(entry).toEqual({ path: PATCH, size: 50 * 1024 * 1024 });
    expect(await problemLines(dir)).toEqual([
      `FILE_TOO_LARGE ${PATCH}: is 50.0 MiB; the limit is 8 MiB`,
    ]);
  });

  it("leaves the text out of binary and non-UTF-8 files", async () => {
    const dir = await copyRealRepo();
    await writeFile(join(dir, PATCH), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]));
    await writeFile(join(dir, "patches/cmdline-banner/x.patch"), Buffer.from([0xff, 0xfe, 0x41]));
    const snapshot = await readRepoSnapshot(dir);
    expect(snapshot.find((e) => e.path === PATCH)).toEqual({ path: PATCH, size: 6 });
    expect(await problemLines(dir)).toEqual([
      `PATCH_INVALID ${PATCH}: is a binary file, not a text diff`,
      "PATCH_INVALID patches/cmdline-banner/x.patch: is a binary file, not a text diff",
    ]);
  });

  it("never opens a FIFO (it would block)", async () => {
    const dir = await copyRealRepo();
    execFileSync("mkfifo", [join(dir, "patches/cmdline-banner/0002-fifo.patch")]);
    expect(await problemLines(dir)).toEqual([
      "PATH_UNSAFE patches/cmdline-banner/0002-fifo.patch: is not a regular file or directory",
    ]);
  });

  it("reports a directory with shell metacharacters by its path", async () => {
    const dir = await copyRealRepo();
    await mkdir(join(dir, "patches/foo;rm -rf"));
    await writeFile(join(dir, "patches/foo;rm -rf/patch.yaml"), "title: x\n");
    expect(await problemLines(dir)).toEqual([
      "ID_INVALID patches/foo;rm -rf: directory name is not a valid id: 'foo;rm -rf' must match [a-z0-9][a-z0-9._-]*",
    ]);
  });

  it("fails with REPO_INVALID when the directory does not exist", async () => {
    const error: unknown = await readRepoSnapshot("/nonexistent/lpctl-repo").catch(
      (e: unknown) => e,
    );
    expect(isLpctlError(error, "REPO_INVALID")).toBe(true);
  });
});
