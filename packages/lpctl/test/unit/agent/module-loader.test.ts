/**
 * The loader that runs insmod/rmmod, with real processes: what it passes,
 * and the coded error naming the command and its output when one fails.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commandLoader } from "../../../src/agent/module-loader.js";
import type { LpctlError } from "../../../src/core/errors.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-loader-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable("it resolved"),
    (e: unknown) => e as LpctlError,
  );

describe("commandLoader", () => {
  it("runs the configured command with its arguments and the file or name last, no shell", async () => {
    const out = path.join(dir, "args");
    const script = 'printf "%s|" "$@" > "$0"';
    const loader = commandLoader({
      load: ["sh", "-c", script, out],
      unload: ["sh", "-c", script, out],
    });
    await loader.load("/var/lib/lpctl/modules/lp a;b.ko");
    expect(await readFile(out, "utf8")).toBe("/var/lib/lpctl/modules/lp a;b.ko|");
    await loader.unload("lp_x");
    expect(await readFile(out, "utf8")).toBe("lp_x|");
  });

  it("fails with MODULE_LOAD_FAILED naming the command, its exit code and its output", async () => {
    const loader = commandLoader({
      load: [
        "sh",
        "-c",
        'echo "insmod: ERROR: could not insert module $0: Invalid parameters" >&2; exit 1',
      ],
      unload: ["false"],
    });
    const e = await rejection(loader.load("lp.ko"));
    expect(e.code).toBe("MODULE_LOAD_FAILED");
    expect(e.message).toMatch(
      /^sh -c .* lp\.ko failed \(exit 1\): insmod: ERROR: could not insert module lp\.ko: Invalid parameters$/,
    );
    const u = await rejection(loader.unload("lp_x"));
    expect(u.message).toBe("false lp_x failed (exit 1): ");
  });

  it("says why when the command cannot be started", async () => {
    const missing = path.join(dir, "no-insmod");
    const e = await rejection(commandLoader({ load: [missing], unload: ["true"] }).load("lp.ko"));
    expect(e.code).toBe("MODULE_LOAD_FAILED");
    expect(e.message).toContain(`${missing} lp.ko failed (exit none): `);
    expect(e.message).toContain("ENOENT");
  });

  it("refuses an empty command", async () => {
    const e = await rejection(commandLoader({ load: [], unload: ["true"] }).load("lp.ko"));
    expect(e.code).toBe("CONFIG_INVALID");
  });
});
