/**
 * Ring manifests built by the one publish orchestration (publishNext) into
 * an in-memory release store: the first ring gets the release, a later ring
 * the first ring's entries of the release it names, read back verified.
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { BuildReport } from "../../../src/core/build-report.js";
import type { Manifest } from "../../../src/core/manifest.js";
import type { PlanTree } from "../../../src/core/plan-tree.js";
import { parseRingsFile, RINGS_PATH } from "../../../src/core/rings.js";
import { generateSigningKey } from "../../../src/core/sign/generate-signing-key.js";
import { createOpenpgpSigner } from "../../../src/core/sign/openpgp-signer.js";
import type { Signer } from "../../../src/core/sign/signer.js";
import { verifyManifest } from "../../../src/core/verify/index.js";
import { publishNext, type PublishedNext } from "../../../src/publisher/publish-next.js";
import { fakeReport, moduleBytes } from "@livepatch-gitops/test-support/report-fixture";
import { memoryStore, type MemoryStore } from "./memory-store.js";

// Signatures carry the real creation time: the reference time is now.
const NOW = new Date();
const T = "debian-6.1-lab";
let signer: Signer;
let stranger: Signer;
beforeAll(async () => {
  signer = await createOpenpgpSigner((await generateSigningKey({ name: "rings" })).privateKey);
  stranger = await createOpenpgpSigner((await generateSigningKey({ name: "other" })).privateKey);
}, 60_000);

/** The build of run `serial`: a new module name and new bytes, as --serial makes them. */
function build(
  serial: number,
  patches: string[] = ["p1"],
): { report: BuildReport; bytes: Uint8Array } {
  const bytes = moduleBytes(`${T}-${serial}`);
  const file = `livepatch-r${serial}-${T}.ko`;
  const base = fakeReport(T, patches);
  const report = {
    ...base,
    module: {
      ...base.module!,
      file,
      name: file.replace(/\.ko$/, "").replace(/[-.]/g, "_"),
      sha256: createHash("sha256").update(bytes).digest("hex"),
      length: bytes.length,
    },
  };
  return { report, bytes };
}

async function publish(
  store: MemoryStore,
  serial: number,
  rings: string,
  previous?: Manifest,
  tree?: { patches: string[]; head: PlanTree },
): Promise<PublishedNext> {
  const { report, bytes } = build(serial, tree?.patches);
  return publishNext({
    signer,
    ownKeys: [signer.publicKey],
    ...(previous ? { previous } : {}),
    outputs: {
      reports: [report],
      reportBytes: new Map(),
      modules: new Map([[report.module!.file, bytes]]),
    },
    patches: {
      p1: { title: "p1", cves: ["CVE-2026-0001"] },
      p2: { title: "p2", cves: ["CVE-2026-0002"] },
    },
    ...(tree ? { head: tree.head } : {}),
    repository: "acme/patches",
    now: NOW,
    lifetimeDays: 14,
    github: { store, commit: `c${serial}` },
    rings: {
      file: parseRingsFile(RINGS_PATH, rings),
    },
    log: () => undefined,
  });
}

const json = (next: PublishedNext, name: string): Manifest => {
  const f = next.files.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name} in ${next.files.map((x) => x.name).join(", ")}`);
  return JSON.parse(new TextDecoder().decode(f.bytes)) as Manifest;
};
const ONE = "rings:\n  - name: canary\n";
const TWO = (n: number) => `${ONE}  - name: stable\n    release: ${n}\n`;

describe("ring manifests", () => {
  it("gives the first ring the release and a later ring the release it names, all signed", async () => {
    const store = memoryStore();
    const v1 = await publish(store, 1, ONE);
    const buildId = v1.manifest.kernels[0].buildId;
    expect(json(v1, "manifest.canary.json")).toEqual({ ...v1.manifest, ring: "canary" });
    expect(json(v1, `kernel-${buildId}.canary.json`).ring).toBe("canary");
    expect(json(v1, "manifest.json").ring).toBeUndefined();

    const v2 = await publish(store, 2, TWO(1), v1.manifest);
    const stable = json(v2, "manifest.stable.json");
    expect(stable).toMatchObject({ version: 2, ring: "stable", expires: v2.manifest.expires });
    expect(stable.kernels).toEqual(v1.manifest.kernels);
    expect(json(v2, `kernel-${buildId}.stable.json`).kernels[0]?.module?.file).toBe(
      `livepatch-r1-${T}.ko`,
    );
    expect(json(v2, `kernel-${buildId}.canary.json`).kernels[0]?.module?.file).toBe(
      `livepatch-r2-${T}.ko`,
    );
    // The stable ring's module is published again in v2, so the latest release serves it.
    const names = v2.files.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([`livepatch-r1-${T}.ko`, `livepatch-r1-${T}.ko.asc`]),
    );
    expect(names.at(-2)).toBe("manifest.json");
    const file = v2.files.find((f) => f.name === "manifest.stable.json")!;
    const sig = v2.files.find((f) => f.name === "manifest.stable.json.asc")!;
    const verified = await verifyManifest({
      manifest: file.bytes,
      signature: sig.bytes,
      keys: [signer.publicKey],
      now: NOW,
    });
    expect(verified.manifest.ring).toBe("stable");
  }, 60_000);

  it("refuses a release the publisher did not publish, and one not signed by its keys", async () => {
    const store = memoryStore();
    const v1 = await publish(store, 1, ONE);
    await expect(publish(store, 2, TWO(7), v1.manifest)).rejects.toMatchObject({
      code: "RING_RELEASE_UNKNOWN",
    });
    // v1's manifest replaced by one another key signed: nothing of it is carried.
    const r1 = store.releases.find((r) => r.tag === "v1")!;
    const m = r1.assets.find((a) => a.name === "manifest.json")!;
    const asc = r1.assets.find((a) => a.name === "manifest.json.asc")!;
    asc.bytes = new TextEncoder().encode(await stranger.sign(m.bytes));
    await expect(publish(store, 2, TWO(1), v1.manifest)).rejects.toMatchObject({
      code: "PREVIOUS_UNVERIFIED",
    });
  }, 60_000);

  it("refuses a module whose bytes are not the ones the named release signed", async () => {
    const store = memoryStore();
    const v1 = await publish(store, 1, ONE);
    const r1 = store.releases.find((r) => r.tag === "v1")!;
    const ko = r1.assets.find((a) => a.name === `livepatch-r1-${T}.ko`)!;
    ko.bytes = moduleBytes("evil");
    await expect(publish(store, 2, TWO(1), v1.manifest)).rejects.toMatchObject({
      code: "DIGEST_MISMATCH",
    });
  }, 60_000);

  it("lets a ring name the release being published: a repository's first publish", async () => {
    const store = memoryStore();
    const v1 = await publish(store, 1, TWO(1));
    expect(json(v1, "manifest.stable.json").kernels).toEqual(v1.manifest.kernels);
    await expect(publish(memoryStore(), 1, TWO(2))).rejects.toMatchObject({
      code: "RING_RELEASE_UNKNOWN",
    });
  }, 60_000);

  it("moves a later ring off a withdrawn patch: to the newest older module without it, else to none", async () => {
    const tree = (withdrawn: Record<string, string>, patches: string[]) => ({
      patches,
      head: {
        targets: [T],
        patches: new Map([
          ["p1", withdrawn.p1 ? [] : [T]],
          ["p2", withdrawn.p2 ? [] : [T]],
        ]),
        withdrawn: new Map(Object.entries(withdrawn)),
      },
    });
    const store = memoryStore();
    const v1 = await publish(store, 1, ONE);
    const v2 = await publish(store, 2, TWO(1), v1.manifest, tree({}, ["p1", "p2"]));
    const v3 = await publish(store, 3, TWO(2), v2.manifest, tree({}, ["p1", "p2"]));
    expect(json(v3, "manifest.stable.json").kernels[0]?.module?.file).toBe(`livepatch-r2-${T}.ko`);
    // p2 withdrawn: canary gets the rebuild without it, stable falls back to v1's module.
    const v4 = await publish(store, 4, TWO(2), v3.manifest, tree({ p2: "oopses" }, ["p1"]));
    const stable = json(v4, "manifest.stable.json").kernels[0];
    expect(stable?.module?.file).toBe(`livepatch-r1-${T}.ko`);
    expect(stable?.patches.map((p) => p.id)).toEqual(["p1"]);
    expect(stable?.withdrawn).toEqual([
      { id: "p2", title: "p2", cves: ["CVE-2026-0002"], reason: "oopses", version: 4 },
    ]);
    expect(v4.files.map((f) => f.name)).toContain(`livepatch-r1-${T}.ko`);
    expect(json(v4, "manifest.canary.json").kernels[0]?.module?.file).toBe(`livepatch-r4-${T}.ko`);
    // p1 withdrawn as well: no older module lacks it, so stable's entry has none.
    const v5 = await publish(store, 5, TWO(2), v4.manifest, tree({ p1: "hangs" }, ["p2"]));
    const none = json(v5, "manifest.stable.json").kernels[0];
    expect(none?.module).toBeUndefined();
    expect(none?.withdrawn?.map((w) => [w.id, w.reason])).toEqual([
      ["p1", "hangs"],
      [
        "p2",
        "left this ring with the module that also carried p1; a later promotion brings it back",
      ],
    ]);
  }, 120_000);
});
