import { execa } from "execa";
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const CONTENDER = fileURLToPath(new URL("./helpers/lock-contender.ts", import.meta.url));
let script = "";
beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-race-"));
  script = path.join(dir, "contender.mjs");
  await build({
    entryPoints: [CONTENDER],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: script,
    logLevel: "error",
  });
});

interface RoundResult {
  round: number;
  result: string;
  kept?: boolean;
}

describe("the shared lock across real processes", () => {
  it("two syncs racing on a stale lock: exactly one takes it over, every round", async () => {
    const rounds = 25;
    const spacing = 200;
    const base = await mkdtemp(path.join(os.tmpdir(), "lpctl-race-"));
    // A pid that certainly is gone: a child that already exited.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    for (let r = 0; r < rounds; r++) {
      await mkdir(path.join(base, `round-${r}`));
      await writeFile(path.join(base, `round-${r}`, "sync.lock"), `${dead}\n`);
    }
    const startAt = String(Date.now() + 1500);
    const args = [script, base, startAt, String(rounds), String(spacing), "2"];
    const runs = await Promise.all([execa("node", args), execa("node", args)]);
    const results = runs.flatMap((r) =>
      r.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as RoundResult),
    );
    expect(results).toHaveLength(2 * rounds);
    for (let r = 0; r < rounds; r++) {
      const round = results.filter((x) => x.round === r);
      const winners = round.filter((x) => x.result === "acquired");
      expect(winners, JSON.stringify(round)).toHaveLength(1);
      expect(winners[0]?.kept).toBe(true);
      expect(round.filter((x) => x.result === "SYNC_LOCKED")).toHaveLength(1);
    }
  });
});
