/**
 * Key rotation on the host: a key list signed by the pinned key and the new
 * one moves trust to the new key (and retires the old); a list not signed by
 * keys the host already trusts, or an old list replayed, is refused.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildStatusReport } from "../../../src/agent/status-report.js";
import type { Trust } from "../../../src/core/key-list.js";
import type { Signer } from "../../../src/core/sign/signer.js";
import { addKeyList as addToMirror } from "./helpers/key-lists.js";
import { makeSigner, NOW, scenario, type Scenario, code } from "./helpers/scenario.js";

type Keys = Awaited<ReturnType<typeof makeSigner>>;
let oldKey: Keys;
let newKey: Keys;
let stranger: Keys;
let s: Scenario;
beforeAll(async () => {
  [oldKey, newKey, stranger] = await Promise.all([
    makeSigner("old"),
    makeSigner("new"),
    makeSigner("stranger"),
  ]);
});
afterEach(async () => {
  await s.close();
});

const PINNED = (): Trust => ({ version: 0, threshold: 1, keys: [oldKey.publicKey] });

/** Writes keys-<N>.json (+ .asc) into the current mirror directory. */
const addKeyList = (current: Trust, keys: Keys[], signers: Signer[]): Promise<Trust> =>
  addToMirror(s.mirrorDir, current, keys, signers);

describe("key rotation on the host", () => {
  it("a valid chain moves trust to the new key and retires the old one", async () => {
    s = await scenario(oldKey);
    await s.publish(1, "lp_v1", ["a"]);
    expect(await s.sync()).toBe("applied");
    await s.publish(2, "lp_v2", ["a", "b"], { signer: newKey.signer });
    await addKeyList(PINNED(), [newKey], [oldKey.signer, newKey.signer]);
    expect(await s.sync()).toBe("applied");
    const st = await s.state();
    expect(st.trust?.version).toBe(1);
    expect(st.applied?.name).toBe("lp_v2");
    expect(s.log.some((l) => l.includes("accepted key list version 1"))).toBe(true);
    const id = { release: "r", buildId: "b", arch: "x86_64" };
    expect(buildStatusReport(st, id, undefined, NOW).keyList).toMatchObject({
      version: 1,
      threshold: 1,
      keys: 1,
    });
    // Retired: a manifest by the old key alone is no longer accepted.
    await s.publish(3, "lp_v3", ["a", "b", "c"], { signer: oldKey.signer });
    await addKeyList(PINNED(), [newKey], [oldKey.signer, newKey.signer]);
    expect(await code(s.sync())).toBe("SIGNATURE_UNTRUSTED");
  });

  it("a list not signed by a key the host trusts is refused", async () => {
    s = await scenario(oldKey);
    await s.publish(1, "lp_v1", ["a"], { signer: stranger.signer });
    // Built with a forged chain start: the stranger claims version 1.
    const forged = { version: 0, threshold: 1, keys: [stranger.publicKey] };
    await addKeyList(forged, [stranger], [stranger.signer]);
    expect(await code(s.sync())).toBe("KEY_LIST_INVALID");
    expect((await s.state()).trust).toBeUndefined();
  });

  it("a list the new keys did not sign (no proof of possession) is not even produced", async () => {
    s = await scenario(oldKey);
    await expect(addKeyList(PINNED(), [newKey], [oldKey.signer])).rejects.toMatchObject({
      code: "KEY_LIST_INVALID",
    });
  });

  it.each([
    ["probed (a manifest without keys)", undefined],
    ["named by the manifest", 2],
  ])("an older list replayed under the next name, %s, is refused (rollback)", async (_, keys) => {
    s = await scenario(oldKey);
    await s.publish(1, "lp_v1", ["a"], { signer: newKey.signer });
    const v1 = await addKeyList(PINNED(), [newKey], [oldKey.signer, newKey.signer]);
    expect(await s.sync()).toBe("applied");
    expect(v1.version).toBe(1);
    const v1Dir = s.mirrorDir;
    // A new manifest makes the host look for lists again (a 304 does not).
    await s.publish(2, "lp_v2", ["a", "b"], { signer: newKey.signer, ...(keys ? { keys } : {}) });
    // keys-2.json holding version 1's bytes (validly signed by trusted keys).
    for (const ext of ["", ".asc"]) {
      await writeFile(
        path.join(s.mirrorDir, `keys-2.json${ext}`),
        await readFile(path.join(v1Dir, `keys-1.json${ext}`)),
      );
    }
    expect(await code(s.sync())).toBe("KEY_LIST_ROLLBACK");
  });
});
