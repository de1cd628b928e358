/**
 * Attack: a patch.yaml title carrying a terminal escape sequence passed
 * validation and landed in the signed manifest and `lpctl status`. The
 * patch.yaml schema refuses it, naming the file and the field; `lpctl lint`
 * refuses a diff path with a direction override and prints it escaped.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run.js";
import { cleanupRepos, copyRealRepo } from "@livepatch-gitops/test-support/repo-fixture";

afterAll(cleanupRepos);

async function lpctl(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("patch.yaml titles", () => {
  for (const [what, title] of [
    ["an escape sequence", "Fix \\e]8;;https://evil.test\\e\\\\cmdline\\e[2J"],
    ["a bidirectional override", "Fix cmdline \\u202Edetaeler"],
    ["a carriage return", "all good\\rFix cmdline"],
  ] as const)
    it(`lpctl validate refuses ${what}, naming the file and the field`, async () => {
      const dir = await copyRealRepo();
      // A double-quoted YAML string turns \e, \u and \r into the characters themselves.
      await writeFile(
        join(dir, "patches/cmdline-banner/patch.yaml"),
        `title: "${title}"\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab]\n`,
      );
      const r = await lpctl("validate", "--repo", dir);
      expect(r.code).toBe(1);
      expect(r.out[0]).toMatch(
        /^patches\/cmdline-banner\/patch\.yaml: title: must hold printable characters only/,
      );
      // eslint-disable-next-line no-control-regex -- the control characters are what must not be printed
      expect(r.out.join("\n")).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    });

  it("lpctl lint refuses a diff path with a direction override or a C1 control, printed escaped", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lpctl-printable-"));
    const file = join(dir, "x.patch");
    const path = "fs/proc/cmd\u202eline\u009b2J.c";
    await writeFile(file, `--- a/${path}\n+++ b/${path}\n@@ -1,1 +1,1 @@\n-a\n+b\n`);
    const r = await lpctl("lint", file);
    expect(r.code).toBe(1);
    expect(r.out.join("\n")).toContain("contains invisible or direction-changing characters");
    expect(r.out.join("\n")).toContain("cmd\\u{202E}line\\x9b2J.c");
    expect(r.out.join("\n")).not.toMatch(/[\u0080-\u009f\u202e]/);
  });
});
