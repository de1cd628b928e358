import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/lint");
const fixture = (name: string) => join(FIXTURES, `${name}.patch`);

async function lpctl(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

let tmp = "";
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "lpctl-lint-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("lpctl lint", () => {
  it("prints patch, file, line, severity, rule and message, then a summary; errors exit 1", async () => {
    const r = await lpctl("lint", fixture("init-code"));
    expect(r.code).toBe(1);
    expect(r.err).toEqual([]);
    expect(r.out).toHaveLength(2);
    expect(r.out[0]).toMatch(
      new RegExp(
        `^${fixture("init-code")}: fs/proc/cmdline\\.c:16: error init-code: proc_cmdline_init\\(\\) is __init`,
      ),
    );
    expect(r.out[1]).toBe("1 error, 0 warnings in 1 patch");
  });

  it("prints a line range when a finding spans several lines", async () => {
    const r = await lpctl("lint", fixture("unsupported-path"));
    expect(r.out[0]).toContain(": arch/x86/entry/vdso/vgetcpu.c:16-17: error unsupported-path: ");
  });

  it("exits 0 on warnings only, and 1 with --strict", async () => {
    const plain = await lpctl("lint", fixture("include-added"));
    expect(plain.code).toBe(0);
    expect(plain.out.at(-1)).toBe("0 errors, 1 warning in 1 patch");
    const strict = await lpctl("lint", "--strict", fixture("include-added"));
    expect(strict.code).toBe(1);
  });

  it("says so when there is nothing to report", async () => {
    const r = await lpctl("lint", fixture("plain-body-change"), fixture("comment-only"));
    expect(r).toEqual({ code: 0, out: ["no findings in 2 patches"], err: [] });
  });

  it("prints JSON with every finding of every patch and the counts", async () => {
    const r = await lpctl("lint", "--json", fixture("header-change"), fixture("syscall-define"));
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out.join("\n")) as Record<string, unknown>;
    expect(doc).toEqual({
      findings: [
        {
          patch: fixture("header-change"),
          file: "include/linux/proc_fs.h",
          startLine: 85,
          endLine: 85,
          severity: "warning",
          rule: "header-change",
          message: expect.stringContaining("header change") as unknown,
        },
        {
          patch: fixture("syscall-define"),
          file: "kernel/sys.c",
          startLine: 1910,
          endLine: 1910,
          severity: "error",
          rule: "syscall-define",
          message: expect.stringContaining("KPATCH_SYSCALL_DEFINE1") as unknown,
        },
      ],
      errors: 1,
      warnings: 1,
    });
  });

  it("refuses a missing file", async () => {
    const missing = join(tmp, "nope.patch");
    const r = await lpctl("lint", missing);
    expect(r.code).toBe(1);
    expect(r.err[0]).toBe(
      `lpctl: FILE_MISSING: ${missing}: cannot open patch file; check the path`,
    );
  });

  it("refuses a directory", async () => {
    const r = await lpctl("lint", tmp);
    expect(r.code).toBe(1);
    expect(r.err[0]).toBe(`lpctl: FILE_MISSING: ${tmp}: not a regular file; pass a patch file`);
  });

  it("refuses a patch over 8 MiB without reading it", async () => {
    const big = join(tmp, "big.patch");
    await writeFile(big, "");
    await truncate(big, 8 * 1024 * 1024 + 1);
    const r = await lpctl("lint", big);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/^lpctl: FILE_TOO_LARGE: .*big\.patch: patch is larger than 8 MiB/);
  });

  it("names the file that is not a diff", async () => {
    const junk = join(tmp, "junk.patch");
    await writeFile(junk, "hello\n");
    const r = await lpctl("lint", junk);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(new RegExp(`^lpctl: PATCH_INVALID: ${junk}: not a unified diff`));
  });

  it("needs at least one patch", async () => {
    const r = await lpctl("lint");
    expect(r.code).toBe(64);
  });
});
