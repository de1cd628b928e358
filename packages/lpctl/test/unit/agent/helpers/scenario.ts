/**
 * One sync scenario: a signing key, a fake host, a published mirror served
 * over loopback HTTP, and helpers to publish versions and run syncs.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { AgentConfig } from "../../../../src/agent/config.js";
import { httpFetcher } from "../../../../src/agent/http-fetcher.js";
import { readState } from "../../../../src/agent/state.js";
import { runSync } from "../../../../src/agent/sync.js";
import { isLpctlError } from "../../../../src/core/errors.js";
import type { ManifestWithdrawn } from "../../../../src/core/manifest.js";
import { generateSigningKey } from "../../../../src/core/sign/generate-signing-key.js";
import { createOpenpgpSigner } from "../../../../src/core/sign/openpgp-signer.js";
import type { Signer } from "../../../../src/core/sign/signer.js";
import {
  agentDeps,
  fakeLoader,
  LAB_BUILD_ID,
  LAB_RELEASE,
  makeFakeRoot,
  removeRoot,
  testConfig,
  type FakeLoader,
} from "./fake-host.js";
import { startMirror, type MirrorServer } from "./mirror-server.js";
import type { NotLivePatchable } from "../../../../src/core/not-live-patchable.js";
import type { TargetImage } from "../../../../src/core/target.js";
import { fakeModule, kernelEntry, manifestOf, publishDir, type FakeModule } from "./publish-dir.js";

export const NOW = new Date();

/** A signer whose signatures and key predate NOW (verification uses NOW). */
export async function makeSigner(
  name = "lpctl test release",
): Promise<{ signer: Signer; publicKey: string }> {
  const key = await generateSigningKey({ name, date: new Date(NOW.getTime() - 3_600_000) });
  const signer = await createOpenpgpSigner(
    key.privateKey,
    undefined,
    () => new Date(NOW.getTime() - 60_000),
  );
  return { signer, publicKey: key.publicKey };
}

export interface Scenario {
  root: string;
  mirrorDir: string;
  server: MirrorServer;
  loader: FakeLoader;
  log: string[];
  config: AgentConfig;
  publish(
    version: number,
    modName: string,
    patches: string[],
    opts?: {
      signer?: Signer;
      days?: number;
      release?: string;
      repository?: string;
      size?: number;
      /** The manifest's `keys` (key-list version of its signer); absent: an older publisher. */
      keys?: number;
      /** Patch titles by id (default `fix <id>`). */
      titles?: Record<string, string>;
      /** The entry's not-live-patchable records. */
      notLivePatchable?: NotLivePatchable[];
      /** The entry's distribution package (a binary kernel target). */
      image?: TargetImage;
      /** The entry's `withdrawn` list. */
      withdrawn?: ManifestWithdrawn[];
    },
  ): Promise<FakeModule>;
  /** Publishes `version` whose entry for the lab kernel has no module, withdrawing `items`. */
  withdraw(version: number, items: ManifestWithdrawn[]): Promise<void>;
  /** Serves an earlier version's directory again (a replay). */
  serve(dir: string): void;
  sync(opts?: { force?: boolean; now?: Date }): ReturnType<typeof runSync>;
  state(): ReturnType<typeof readState>;
  livepatch(name: string): Promise<string | undefined>;
  close(): Promise<void>;
}

export const CVE = (id: string) => `CVE-2026-${1000 + id.length}`;

export async function scenario(
  keys: { signer: Signer; publicKey: string },
  over: Record<string, unknown> = {},
): Promise<Scenario> {
  const root = await makeFakeRoot([keys.publicKey]);
  let mirrorDir = await mkdtemp(path.join(os.tmpdir(), "lpctl-mirror-"));
  const server = await startMirror(() => mirrorDir);
  const loader = fakeLoader(root);
  const log: string[] = [];
  const config = testConfig({ source: server.baseUrl, ...over });
  return {
    root,
    get mirrorDir() {
      return mirrorDir;
    },
    server,
    loader,
    log,
    config,
    async publish(version, modName, patches, opts = {}) {
      const mod = fakeModule(modName, opts.size);
      const entry = kernelEntry({
        release: opts.release ?? LAB_RELEASE,
        buildId: LAB_BUILD_ID,
        module: mod,
        patches: patches.map((id) => ({
          id,
          title: opts.titles?.[id] ?? `fix ${id}`,
          cves: [CVE(id)],
        })),
      });
      if (opts.notLivePatchable) entry.notLivePatchable = opts.notLivePatchable;
      if (opts.image) entry.image = opts.image;
      if (opts.withdrawn) entry.withdrawn = opts.withdrawn;
      // Each version in its own directory, as a release would be.
      mirrorDir = await mkdtemp(path.join(os.tmpdir(), `lpctl-mirror-v${version}-`));
      await publishDir(
        mirrorDir,
        {
          ...manifestOf(version, [entry], NOW, opts.days),
          ...(opts.repository === undefined ? {} : { repository: opts.repository }),
          ...(opts.keys === undefined ? {} : { keys: opts.keys }),
        },
        [mod],
        opts.signer ?? keys.signer,
      );
      return mod;
    },
    async withdraw(version, items) {
      const { module: _none, ...entry } = kernelEntry({
        release: LAB_RELEASE,
        buildId: LAB_BUILD_ID,
        module: fakeModule("unused"),
        patches: [],
      });
      mirrorDir = await mkdtemp(path.join(os.tmpdir(), `lpctl-mirror-v${version}-`));
      await publishDir(
        mirrorDir,
        manifestOf(version, [{ ...entry, withdrawn: items }], NOW),
        [],
        keys.signer,
      );
    },
    serve(dir) {
      mirrorDir = dir;
    },
    sync: (opts = {}) =>
      runSync(agentDeps(root, config, httpFetcher(server.baseUrl), loader, opts.now ?? NOW, log), {
        force: opts.force === true,
      }),
    state: () => readState(path.join(root, "var/lib/lpctl")),
    livepatch: (name) =>
      readFile(path.join(root, "sys/kernel/livepatch", name, "enabled"), "utf8").then(
        (s) => s.trim(),
        () => undefined,
      ),
    async close() {
      await server.close();
      await removeRoot(root);
    },
  };
}

/** "ok", or the LpctlError code the promise was refused with (anything else is rethrown). */
export async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (isLpctlError(e)) return e.code;
    throw e;
  }
}
