import { execa } from "execa";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("single-file agent bundle", () => {
  it("builds, holds only the host commands, and runs with a bare node", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-bundle-"));
    const file = path.join(dir, "lpctl-agent.mjs");
    await execa("node", ["scripts/build-agent-bundle.mjs", file]);
    expect((await stat(file)).size).toBeLessThan(1_500_000);
    const text = await readFile(file, "utf8");
    expect(text).not.toMatch(/@octokit|probot/i);
    // Run from a directory without node_modules: everything is inside.
    const help = await execa("node", [file, "--help"], { cwd: dir });
    expect(help.stdout).toMatch(/^\s+sync \[options\]/m);
    expect(help.stdout).toMatch(/^\s+status \[options\]/m);
    expect(help.stdout).toMatch(/^\s+revert \[options\]/m);
    expect(help.stdout).not.toMatch(/validate|kernel prepare|install-units/);
    const bad = await execa("node", [file, "status", "--root", dir], { cwd: dir, reject: false });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/config\.yaml/);
  });
});
