/**
 * The demo's process keeping with real child processes: a child that dies
 * ends the wait for it at once, naming its log; stopAll stops the rest.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Processes, waitFor } from "../../src/processes.js";

describe("demo processes", () => {
  it("a child that exits ends a wait with its name and log; stopAll stops the others", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-demo-procs-"));
    const procs = new Processes();
    const lines: string[] = [];
    const sleeper = procs.spawn("forge", process.execPath, ["-e", "setInterval(() => {}, 1000)"], {
      logFile: path.join(dir, "forge.log"),
    });
    const dying = procs.spawn(
      "app",
      process.execPath,
      ["-e", "console.log('starting'); console.error('no key'); process.exit(3)"],
      { logFile: path.join(dir, "app.log"), onLine: (l) => lines.push(l) },
    );
    await dying.process;
    const t0 = Date.now();
    await expect(
      waitFor(
        "release v1",
        () => {
          procs.check();
          return Promise.resolve(undefined);
        },
        60_000,
        50,
      ),
    ).rejects.toThrow(/the app exited unexpectedly \(exit 3\); see .*app\.log/);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(lines).toEqual(["starting"]);
    expect(await readFile(path.join(dir, "app.log"), "utf8")).toContain("no key");

    await procs.stopAll();
    expect(sleeper.process.signalCode).toBe("SIGTERM");
  });

  it("other errors while polling mean not yet, until the deadline", async () => {
    let n = 0;
    const v = await waitFor(
      "a value",
      () => {
        n++;
        if (n < 3) throw new Error("404");
        return Promise.resolve(n);
      },
      10_000,
      10,
    );
    expect(v).toBe(3);
    await expect(waitFor("never", () => Promise.reject(new Error("404")), 100, 10)).rejects.toThrow(
      "timed out after 0 s waiting for never",
    );
  });
});
