/**
 * One contender process of the lock race test: for each round, waits until
 * the round's start time and tries the agent's sync lock in that round's
 * directory (where the test left a dead process's lock). A winner keeps the
 * lock (its process stays alive, so a late contender must see it held) and
 * checks nobody replaced it. One JSON line per round; the process exits only
 * when every contender is done, so no lock goes stale during the test.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { acquireSyncLock } from "../../../../src/agent/sync-lock.js";
import { isLpctlError } from "../../../../src/core/errors.js";

const [base = "", startAt = "0", rounds = "0", spacing = "0", contenders = "0"] =
  process.argv.slice(2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

for (let round = 0; round < Number(rounds); round++) {
  const dir = path.join(base, `round-${round}`);
  await sleep(Number(startAt) + round * Number(spacing) - Date.now());
  try {
    await acquireSyncLock(dir);
    const mine = await readFile(path.join(dir, "sync.lock"), "utf8");
    await sleep(Number(spacing) / 2);
    const still = await readFile(path.join(dir, "sync.lock"), "utf8").catch(() => "");
    console.log(JSON.stringify({ round, result: "acquired", kept: still === mine }));
  } catch (e) {
    if (!isLpctlError(e)) throw e;
    console.log(JSON.stringify({ round, result: e.code }));
  }
}
await writeFile(path.join(base, `done-${process.pid}`), "");
while ((await readdir(base)).filter((n) => n.startsWith("done-")).length < Number(contenders)) {
  await sleep(50);
}
