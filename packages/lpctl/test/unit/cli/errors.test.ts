import { mkdtemp, open, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run.js";
import { ERROR_CATEGORIES, LpctlError, type ErrorCode } from "../../../src/core/errors.js";
import { MANIFEST_MAX_BYTES } from "../../../src/core/manifest.js";
import { reportError } from "../../../src/cli/report-error.js";

async function lpctl(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const tmp = () => mkdtemp(path.join(os.tmpdir(), "lpctl-errors-"));

/** A sparse file of `size` bytes: a hostile mirror's huge manifest without the disk use. */
async function sparse(file: string, size: number): Promise<void> {
  const h = await open(file, "w");
  await h.truncate(size);
  await h.close();
}

function exitOf(code: ErrorCode): number {
  const out = { out: () => undefined, err: () => undefined };
  return reportError(new LpctlError(code, "m"), out, { debug: false, json: false });
}

describe("error codes and exit codes", () => {
  it("every manifest refusal exits 2, like the signature refusals", () => {
    for (const code of Object.keys(ERROR_CATEGORIES) as ErrorCode[]) {
      if (code.startsWith("MANIFEST_") || code.startsWith("SIGNATURE_")) {
        expect([code, exitOf(code)]).toEqual([code, 2]);
      }
    }
    expect(exitOf("KERNEL_NOT_COVERED")).toBe(3);
    expect(exitOf("USAGE")).toBe(64);
    expect(exitOf("SYNC_LOCKED")).toBe(1);
  });

  it("prints the code with the message, and a thrown non-LpctlError as INTERNAL", () => {
    const err: string[] = [];
    const o = { out: () => undefined, err: (l: string) => err.push(l) };
    expect(
      reportError(new LpctlError("MANIFEST_ROLLBACK", "older"), o, { debug: false, json: false }),
    ).toBe(2);
    expect(reportError(new TypeError("boom"), o, { debug: false, json: false })).toBe(1);
    expect(err[0]).toBe("lpctl: MANIFEST_ROLLBACK: older");
    expect(err[1]).toMatch(/^lpctl: INTERNAL: unexpected error: boom \(a bug in lpctl/);
  });
});

describe("lpctl verify failures", () => {
  it("a 100 MB manifest exits 2 with its real size, and --json prints the error on stdout", async () => {
    const dir = await tmp();
    const manifest = path.join(dir, "manifest.json");
    await sparse(manifest, 100 * 1024 * 1024);
    await writeFile(path.join(dir, "key.asc"), "not a key");
    const r = await lpctl(
      "verify",
      "--manifest",
      manifest,
      "--key",
      path.join(dir, "key.asc"),
      "--json",
    );
    expect(r.code).toBe(2);
    expect(r.err[0]).toBe(
      `lpctl: MANIFEST_TOO_LARGE: manifest is 104857600 bytes, more than the ${MANIFEST_MAX_BYTES}-byte cap; ` +
        "refusing to parse it (a real manifest is far smaller: check where it came from)",
    );
    const doc = JSON.parse(r.out.join("\n")) as { error: Record<string, unknown> };
    expect(doc.error).toMatchObject({
      code: "MANIFEST_TOO_LARGE",
      category: "security",
      exitCode: 2,
      details: { size: 104857600, maxBytes: MANIFEST_MAX_BYTES },
    });
  });

  it("a missing key file is KEY_MISSING naming the file, not an unexpected error", async () => {
    const dir = await tmp();
    const manifest = path.join(dir, "manifest.json");
    await writeFile(manifest, "{}");
    const key = path.join(dir, "nope.asc");
    const r = await lpctl("verify", "--manifest", manifest, "--key", key);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      `lpctl: KEY_MISSING: cannot read the public key ${key}: no such file or directory; check the path`,
    ]);
    expect(r.out).toEqual([]);
  });

  it("a usage error with --json prints a USAGE error object and exits 64", async () => {
    const r = await lpctl("verify", "--json");
    expect(r.code).toBe(64);
    const doc = JSON.parse(r.out.join("\n")) as { error: { code: string; exitCode: number } };
    expect(doc.error).toMatchObject({ code: "USAGE", exitCode: 64 });
  });

  it("status --json on a host without a config prints the error object, exit 1", async () => {
    const root = await tmp();
    const r = await lpctl("status", "--root", root, "--json");
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out.join("\n")) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe("CONFIG_INVALID");
    expect(r.err[0]).toBe(`lpctl: CONFIG_INVALID: ${doc.error.message}`);
  });
});
