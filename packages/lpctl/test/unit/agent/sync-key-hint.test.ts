/**
 * The manifest names its signer's key-list version (`keys`), so a host
 * fetches key lists only when that moved: an idle sync is the manifest's
 * conditional GET alone. The value read before verification is only a hint;
 * a hint raised or lowered by the source, or a signed value that is not what
 * the host followed, is refused with its own code.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Trust } from "../../../src/core/key-list.js";
import { kernelManifestName } from "../../../src/core/manifest.js";
import { LAB_BUILD_ID } from "./helpers/fake-host.js";
import { addKeyList } from "./helpers/key-lists.js";
import { code, makeSigner, NOW, scenario, type Scenario } from "./helpers/scenario.js";

type Keys = Awaited<ReturnType<typeof makeSigner>>;
let oldKey: Keys;
let newKey: Keys;
let s: Scenario;
beforeAll(async () => {
  [oldKey, newKey] = await Promise.all([makeSigner("old"), makeSigner("new")]);
});
afterEach(async () => {
  await s.close();
});

const MANIFEST = kernelManifestName(LAB_BUILD_ID);
const PINNED = (): Trust => ({ version: 0, threshold: 1, keys: [oldKey.publicKey] });
const DAY = 86_400_000;

/** The files the last sync asked the source for (redirect hops left out). */
function fetched(from: number): string[] {
  return s.server.requests
    .slice(from)
    .filter((r) => r.startsWith("GET /storage/"))
    .map((r) => decodeURIComponent(r.replace(/^GET \/storage\/([^?]+).*$/, "$1")));
}

/** Publishes version 2 signed by the new key, naming key list 1, with that list. */
async function rotate(): Promise<void> {
  await s.publish(2, "lp_v2", ["a", "b"], { signer: newKey.signer, keys: 1 });
  await addKeyList(s.mirrorDir, PINNED(), [newKey], [oldKey.signer, newKey.signer]);
}

/** Serves the current kernel manifest with its `keys` changed (its signature no longer matches). */
async function tamperKeys(keys: number): Promise<void> {
  const body = JSON.parse(await readFile(path.join(s.mirrorDir, MANIFEST), "utf8")) as object;
  s.server.replace.set(MANIFEST, Buffer.from(JSON.stringify({ ...body, keys })));
}

describe("key lists fetched only when the manifest says they moved", () => {
  it("an idle sync asks for the manifest alone; a rotation fetches exactly its list", async () => {
    s = await scenario(oldKey);
    await s.publish(1, "lp_v1", ["a"], { keys: 0 });
    let from = s.server.requests.length;
    expect(await s.sync()).toBe("applied");
    expect(fetched(from).filter((n) => n.startsWith("keys-"))).toEqual([]);

    from = s.server.requests.length;
    expect(await s.sync()).toBe("already-applied");
    expect(fetched(from)).toEqual([MANIFEST]);

    await rotate();
    from = s.server.requests.length;
    expect(await s.sync()).toBe("applied");
    expect(fetched(from).filter((n) => n.startsWith("keys-"))).toEqual([
      "keys-1.json",
      "keys-1.json.asc",
    ]);
    expect((await s.state()).trust?.version).toBe(1);

    from = s.server.requests.length;
    expect(await s.sync()).toBe("already-applied");
    expect(fetched(from)).toEqual([MANIFEST]);
  });

  it("a manifest without keys (an older publisher) still probes the next list", async () => {
    s = await scenario(oldKey);
    await s.publish(1, "lp_v1", ["a"]);
    const from = s.server.requests.length;
    expect(await s.sync()).toBe("applied");
    expect(fetched(from)).toContain("keys-1.json");
  });

  it("a host re-pinned by hand fetches the manifest whole and verifies it with the new pin", async () => {
    s = await scenario(oldKey);
    await s.publish(1, "lp_v1", ["a"], { keys: 0 });
    expect(await s.sync()).toBe("applied");
    await writeFile(path.join(s.root, "etc/lpctl/keys/key0.asc"), newKey.publicKey);
    const from = s.server.requests.length;
    // The stored copy was verified with the old pin: no conditional request, no 304.
    expect(await code(s.sync())).toBe("SIGNATURE_UNTRUSTED");
    expect(fetched(from)).toEqual([MANIFEST, `${MANIFEST}.asc`]);
  });

  it("304 still checks the stored key list's expiry, with no other request", async () => {
    s = await scenario(oldKey);
    await s.publish(2, "lp_v2", ["a"], { signer: newKey.signer, keys: 1 });
    const expires = new Date(NOW.getTime() + DAY);
    await addKeyList(s.mirrorDir, PINNED(), [newKey], [oldKey.signer, newKey.signer], expires);
    expect(await s.sync()).toBe("applied");
    const from = s.server.requests.length;
    expect(await code(s.sync({ now: new Date(NOW.getTime() + 2 * DAY) }))).toBe("KEY_LIST_EXPIRED");
    expect(fetched(from)).toEqual([MANIFEST]);
  });
});

describe("hint attacks", () => {
  it("a signed hint naming a list the source does not have: KEY_LIST_MISSING, trust kept", async () => {
    s = await scenario(oldKey);
    await s.publish(1, "lp_v1", ["a"], { keys: 0 });
    expect(await s.sync()).toBe("applied");
    await s.publish(2, "lp_v2", ["a", "b"], { signer: newKey.signer, keys: 2 });
    await addKeyList(s.mirrorDir, PINNED(), [newKey], [oldKey.signer, newKey.signer]);
    const from = s.server.requests.length;
    expect(await code(s.sync())).toBe("KEY_LIST_MISSING");
    expect(fetched(from)).toContain("keys-2.json");
    const st = await s.state();
    expect(st.trust?.version).toBe(0);
    expect(st.applied?.name).toBe("lp_v1");
  });

  it("a hint raised in transit makes the host look for lists that are not there", async () => {
    s = await scenario(oldKey);
    await s.publish(1, "lp_v1", ["a"], { keys: 0 });
    await tamperKeys(5);
    expect(await code(s.sync())).toBe("KEY_LIST_MISSING");
    expect((await s.state()).applied).toBeUndefined();
  });

  it("a hint lowered in transit to hide a rotation: the pinned key does not verify it", async () => {
    s = await scenario(oldKey);
    await rotate();
    await tamperKeys(0);
    const from = s.server.requests.length;
    expect(await code(s.sync())).toBe("SIGNATURE_UNTRUSTED");
    expect(fetched(from).filter((n) => n.startsWith("keys-"))).toEqual([]);
    expect((await s.state()).trust).toBeUndefined();
  });

  it("a signed hint lower than the list the host follows: MANIFEST_KEYS_MISMATCH", async () => {
    s = await scenario(oldKey);
    await rotate();
    expect(await s.sync()).toBe("applied");
    // Signed by a listed key, but naming the pinned keys: an outdated --key-lists.
    await s.publish(3, "lp_v3", ["a", "b", "c"], { signer: newKey.signer, keys: 0 });
    await addKeyList(s.mirrorDir, PINNED(), [newKey], [oldKey.signer, newKey.signer]);
    expect(await code(s.sync())).toBe("MANIFEST_KEYS_MISMATCH");
    const st = await s.state();
    expect(st.applied?.name).toBe("lp_v2");
    expect(st.lastError?.message).toMatch(/key list version 0, but it was verified with version 1/);
  });
});
