/**
 * Hosts in rings against what the real publisher (publishNext) writes to a
 * mirror, served over loopback HTTP: a stable host runs the release its ring
 * names, never the newer first-ring module, and refuses another ring's
 * signed manifest served under its own name.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpFetcher } from "../../../src/agent/http-fetcher.js";
import { readState } from "../../../src/agent/state.js";
import { runSync } from "../../../src/agent/sync.js";
import { runCli } from "../../../src/cli/run.js";
import type { BuildReport } from "../../../src/core/build-report.js";
import { kernelManifestName, type Manifest } from "../../../src/core/manifest.js";
import { parseRingsFile, RINGS_PATH } from "../../../src/core/rings.js";
import { publishNext } from "../../../src/publisher/publish-next.js";
import { fakeReport } from "@livepatch-gitops/test-support/report-fixture";
import { memoryStore } from "../publisher/memory-store.js";
import {
  agentDeps,
  fakeLoader,
  LAB_BUILD_ID,
  LAB_RELEASE,
  makeFakeRoot,
  removeRoot,
  testConfig,
} from "./helpers/fake-host.js";
import { startMirror, type MirrorServer } from "./helpers/mirror-server.js";
import { fakeModule } from "./helpers/publish-dir.js";
import { code, makeSigner, NOW } from "./helpers/scenario.js";

let keys: Awaited<ReturnType<typeof makeSigner>>;
let mirror: string;
let server: MirrorServer;
const roots: string[] = [];
const store = memoryStore();

/** Run `serial`'s build of the lab kernel: module lp_r<serial>. */
function outputs(serial: number) {
  const mod = fakeModule(`lp_r${serial}`);
  const report: BuildReport = {
    ...fakeReport("debian-6.1-lab", ["a"]),
    release: LAB_RELEASE,
    buildId: LAB_BUILD_ID,
    module: {
      file: mod.file,
      name: mod.name,
      sha256: createHash("sha256").update(mod.bytes).digest("hex"),
      length: mod.bytes.length,
      vermagic: `${LAB_RELEASE} SMP preempt mod_unload`,
    },
  };
  return { reports: [report], reportBytes: new Map(), modules: new Map([[mod.file, mod.bytes]]) };
}

async function publish(serial: number, rings: string, previous?: Manifest): Promise<Manifest> {
  const next = await publishNext({
    signer: keys.signer,
    ownKeys: [keys.publicKey],
    ...(previous ? { previous } : {}),
    outputs: outputs(serial),
    patches: { a: { title: "fix a", cves: ["CVE-2026-1001"] } },
    repository: "example/livepatches",
    now: NOW,
    lifetimeDays: 14,
    github: { store, commit: `c${serial}` },
    mirror,
    rings: {
      file: parseRingsFile(RINGS_PATH, rings),
    },
    log: () => undefined,
  });
  return next.manifest;
}

async function host(ring?: string) {
  const root = await makeFakeRoot([keys.publicKey]);
  roots.push(root);
  const loader = fakeLoader(root);
  const config = testConfig({ source: server.baseUrl, ...(ring ? { ring } : {}) });
  return {
    root,
    sync: () =>
      runSync(agentDeps(root, config, httpFetcher(server.baseUrl), loader, NOW), { force: false }),
    state: () => readState(path.join(root, "var/lib/lpctl")),
  };
}

beforeAll(async () => {
  keys = await makeSigner();
  mirror = await mkdtemp(path.join(os.tmpdir(), "lpctl-rings-mirror-"));
  server = await startMirror(() => mirror);
  const v1 = await publish(1, "rings:\n  - name: canary\n");
  await publish(2, "rings:\n  - name: canary\n  - name: stable\n    release: 1\n", v1);
}, 60_000);

afterAll(async () => {
  await server.close();
  for (const r of roots) await removeRoot(r);
});

const STABLE_JSON = kernelManifestName(LAB_BUILD_ID, "stable");
const CANARY_JSON = kernelManifestName(LAB_BUILD_ID, "canary");

describe("lpctl sync in a ring", () => {
  it("a canary host and an unringed host get v2's module, a stable host v1's", async () => {
    const canary = await host("canary");
    const plain = await host();
    const stable = await host("stable");
    for (const h of [canary, plain, stable]) await h.sync();
    expect((await canary.state()).applied?.name).toBe("lp_r2");
    expect((await plain.state()).applied?.name).toBe("lp_r2");
    const st = await stable.state();
    expect(st.applied?.name).toBe("lp_r1");
    expect(st.manifest).toMatchObject({ name: STABLE_JSON, version: 2 });
  });

  it("a stable host refuses the canary manifest served under its name, and stays on its module", async () => {
    const stable = await host("stable");
    await stable.sync();
    server.replace.set(STABLE_JSON, await readFile(path.join(mirror, CANARY_JSON)));
    server.replace.set(
      `${STABLE_JSON}.asc`,
      await readFile(path.join(mirror, `${CANARY_JSON}.asc`)),
    );
    try {
      expect(await code(stable.sync())).toBe("MANIFEST_WRONG_RING");
      const st = await stable.state();
      expect(st.applied?.name).toBe("lp_r1");
      expect(st.lastError?.code).toBe("MANIFEST_WRONG_RING");
      // The same refusal from the CLI: exit 2, naming both rings.
      await writeFile(
        path.join(stable.root, "etc/lpctl/config.yaml"),
        `source: ${server.baseUrl}\nrepository: example/livepatches\nkeys: [/etc/lpctl/keys/key0.asc]\nring: stable\n`,
      );
      const err: string[] = [];
      const exit = await runCli(["sync", "--root", stable.root], {
        out: () => undefined,
        err: (l) => err.push(l),
      });
      expect(exit).toBe(2);
      expect(err.join("\n")).toMatch(/ring 'canary'.*ring 'stable'/);
    } finally {
      server.replace.clear();
    }
  });

  it("a stable host refuses the unringed manifest (the first ring's content) under its name", async () => {
    const stable = await host("stable");
    const name = kernelManifestName(LAB_BUILD_ID);
    server.replace.set(STABLE_JSON, await readFile(path.join(mirror, name)));
    server.replace.set(`${STABLE_JSON}.asc`, await readFile(path.join(mirror, `${name}.asc`)));
    try {
      expect(await code(stable.sync())).toBe("MANIFEST_WRONG_RING");
      expect((await stable.state()).applied).toBeUndefined();
    } finally {
      server.replace.clear();
    }
  });
});
