import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { applyConventions, commandPath } from "../../../src/cli/conventions.js";
import { EXIT } from "../../../src/cli/exit.js";
import { buildProgram } from "../../../src/cli/program.js";
import { runCli } from "../../../src/cli/run.js";

async function lpctl(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Every command that runs something (no subcommands), with its full name. */
function leaves(cmd: Command): Command[] {
  const subs = cmd.commands.filter((c) => c.name() !== "help");
  return subs.length === 0 ? [cmd] : subs.flatMap(leaves);
}

const program = () =>
  applyConventions(buildProgram({ out: () => undefined, err: () => undefined }, () => undefined));

describe("lpctl conventions", () => {
  it("--version prints package.json's version", async () => {
    const pkg = JSON.parse(await readFile("package.json", "utf8")) as { version: string };
    const r = await lpctl("--version");
    expect(r).toMatchObject({ code: 0, out: pkg.version });
  });

  it("a usage error prints the message, the usage line and where the help is; not the help", async () => {
    const r = await lpctl("mirror", "--to", "/tmp/x");
    expect(r.code).toBe(EXIT.usage);
    expect(r.err.split("\n")).toEqual([
      "error: required option '--from <dir>' not specified",
      "usage: lpctl mirror [options]",
      "see 'lpctl mirror --help'",
    ]);
    const unknown = await lpctl("keys", "rotat");
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.err).toMatch(/see 'lpctl keys --help'$/);
    expect(unknown.err).not.toMatch(/Options:/);
  });

  it("a usage error a command finds itself exits 64 the same way and points at its help", async () => {
    const r = await lpctl("publish", "--reports", "out/x", "--to", "/tmp/m");
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toBe(
      "lpctl: USAGE: --repository OWNER/REPO is required with --reports\nsee 'lpctl publish --help'",
    );
    // Checked before the signing key is looked for (its absence would exit 1).
    const noCommit = await lpctl(
      "publish",
      "--reports",
      "out/x",
      "--repository",
      "o/r",
      "--to",
      "/tmp/m",
    );
    expect(noCommit.code).toBe(EXIT.usage);
    expect(noCommit.err).toMatch(/--reports needs --expect-commit SHA/);
  });

  it("publish --repo DIR is refused with the new spelling, never taken for --repository", async () => {
    const r = await lpctl("publish", "--repo", ".", "--to", "/tmp/m", "--json");
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/publish --repo was renamed: the checkout is --checkout \./);
    expect(JSON.parse(r.out)).toMatchObject({ error: { code: "USAGE", exitCode: 64 } });
  });

  it("the root help carries the exit-code table, with the codes the CLI uses", async () => {
    const r = await lpctl("--help");
    expect(r.code).toBe(0);
    const table = r.out.slice(r.out.indexOf("Exit codes"));
    const codes = [...table.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]));
    expect(codes).toEqual([...new Set(Object.values(EXIT))].sort((a, b) => a - b));
  });

  it("every required option is marked (required) in its command's help", () => {
    const required = leaves(program()).flatMap((c) => c.options.filter((o) => o.mandatory));
    expect(required.length).toBeGreaterThan(5);
    for (const o of required) expect(o.description).toMatch(/\(required\)$/);
  });

  it("every command takes --json", () => {
    const without = leaves(program())
      .filter((c) => !c.options.some((o) => o.long === "--json"))
      .map(commandPath);
    expect(without).toEqual([]);
  });

  it("every host command takes --config", () => {
    const host = ["sync", "status", "revert", "install-units"];
    const cmds = leaves(program()).filter((c) => host.includes(c.name()));
    expect(cmds.map((c) => c.name()).sort()).toEqual([...host].sort());
    for (const c of cmds) expect(c.options.map((o) => o.long)).toContain("--config");
  });
});
