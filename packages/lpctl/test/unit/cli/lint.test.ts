import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintInputs } from "../../../src/cli/commands/lint.js";
import { readLintInput } from "../../../src/cli/commands/lint-input.js";
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
    // comment-only is no-functional-change's warning now: kpatch-build finds nothing to build.
    const r = await lpctl("lint", fixture("plain-body-change"), fixture("plain-body-change"));
    expect(r).toEqual({ code: 0, out: ["no findings in 2 patches"], err: [] });
  });

  it("prints JSON with every finding of every patch and the counts", async () => {
    const r = await lpctl("lint", "--json", fixture("header-change"), fixture("init-code"));
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
          patch: fixture("init-code"),
          file: "fs/proc/cmdline.c",
          startLine: 16,
          endLine: 16,
          severity: "error",
          rule: "init-code",
          message: expect.stringContaining("proc_cmdline_init() is __init") as unknown,
        },
      ],
      errors: 1,
      warnings: 1,
      sourceAware: false,
    });
  });

  it("reports a missing file as a finding and still lints the others", async () => {
    const missing = join(tmp, "nope.patch");
    const r = await lpctl("lint", "--json", missing, fixture("syscall-define"));
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out.join("\n")) as {
      findings: { patch: string; rule: string; message: string }[];
    };
    expect(doc.findings.map((f) => [f.patch, f.rule])).toEqual([
      [missing, "patch-file"],
      [fixture("syscall-define"), "syscall-define"],
    ]);
    expect(doc.findings[0].message).toContain("no such file");
  });

  it("refuses a directory, a symlink and a FIFO as findings, without blocking", async () => {
    const link = join(tmp, "link.patch");
    await symlink(fixture("init-code"), link);
    const fifo = join(tmp, "fifo.patch");
    execFileSync("mkfifo", [fifo]);
    const r = await lpctl("lint", tmp, link, fifo);
    expect(r.code).toBe(1);
    expect(r.out[0]).toContain(`${tmp}:1: error patch-file: is not a regular file`);
    expect(r.out[1]).toContain(`${link}:1: error patch-file: is a symlink`);
    expect(r.out[2]).toContain(`${fifo}:1: error patch-file: is not a regular file`);
  });

  it("refuses a patch over 8 MiB without reading it", async () => {
    const big = join(tmp, "big.patch");
    await writeFile(big, "");
    await truncate(big, 8 * 1024 * 1024 + 1);
    const r = await lpctl("lint", big);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/big\.patch:1: error patch-file: is 8\.0 MiB; the limit is 8 MiB/);
  });

  it("names the file that is not a diff", async () => {
    const junk = join(tmp, "junk.patch");
    await writeFile(junk, "hello\n");
    const r = await lpctl("lint", junk);
    expect(r.code).toBe(1);
    expect(r.out[0]).toContain(`${junk}:1: error patch-file: not a unified diff`);
  });

  it("gives validate's verdict on CRLF, Latin-1, unsafe paths and -p0 paths", async () => {
    const good = await readFile(fixture("plain-body-change"), "utf8");
    const cases: [string, string | Buffer, string][] = [
      ["crlf", good.replaceAll("\n", "\r\n"), "CRLF line endings"],
      ["latin1", Buffer.from(good.replace("int", "int \u00e9"), "latin1"), "binary file"],
      ["abs", good.replaceAll("a/fs/", "/fs/"), "is absolute"],
      ["dotdot", good.replaceAll("b/fs/", "b/../fs/"), "'..' component"],
      [
        "prefix",
        good.replaceAll(" a/fs/", " fs/").replaceAll(" b/fs/", " fs/"),
        "has no leading directory: patch -p1 would strip 'fs/'",
      ],
    ];
    for (const [name, text, message] of cases) {
      const path = join(tmp, `${name}.patch`);
      await writeFile(path, text);
      const r = await lpctl("lint", path);
      expect(r.code, name).toBe(1);
      expect(r.out[0], name).toContain("error patch-file: ");
      expect(r.out[0], name).toContain(message);
    }
  });

  it("reads a patch from stdin for -", async () => {
    const text = await readFile(fixture("syscall-define"));
    const inputs = [await readLintInput("-", Readable.from([text]))];
    const result = lintInputs(inputs, undefined);
    expect(result.findings.map((f) => [f.patch, f.rule])).toEqual([["-", "syscall-define"]]);
  });

  it("decides on the kernel source with --source, and refuses --source with --target", async () => {
    const src = join(FIXTURES, "../lint-src");
    const patch = join(src, "cases/init-split-declaration.patch");
    const diffOnly = await lpctl("lint", patch);
    expect(diffOnly.code).toBe(0);
    expect(diffOnly.out[0]).toContain("warning inline-function-change: context does not show");
    const withSource = await lpctl("lint", "--source", join(src, "tree"), patch);
    expect(withSource.code).toBe(1);
    expect(withSource.out[0]).toContain("error init-code: __reserve_region_with_split()");
    expect(withSource.out.at(-1)).toBe(
      "1 error, 0 warnings in 1 patch (checked against the kernel source)",
    );
    const both = await lpctl("lint", "--source", src, "--target", "x", patch);
    expect(both.code).not.toBe(0);
    expect(both.err[0]).toContain("give either --source DIR or --target ID, not both");
  });

  it("needs at least one patch", async () => {
    const r = await lpctl("lint");
    expect(r.code).toBe(64);
  });
});
