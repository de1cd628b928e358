/**
 * Publishes a mirror directory the way a release looks: manifest.json,
 * kernel-<buildId>.json and modules, each with a REAL detached OpenPGP
 * signature made by the project's signer.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  kernelManifestName,
  type Manifest,
  type ManifestKernel,
} from "../../../../src/core/manifest.js";
import type { Signer } from "../../../../src/core/sign/signer.js";

export interface FakeModule {
  name: string;
  file: string;
  bytes: Buffer;
}

/** A fake .ko the fake loader understands: its livepatch name in the first line. */
export function fakeModule(name: string, size = 4096): FakeModule {
  const head = Buffer.from(`FAKE-LIVEPATCH ${name}\n`);
  const pad = Buffer.alloc(Math.max(0, size - head.length), name.charCodeAt(name.length - 1));
  return { name, file: `${name}.ko`, bytes: Buffer.concat([head, pad]) };
}

export interface EntryInput {
  release: string;
  buildId: string;
  module: FakeModule;
  patches: { id: string; title: string; cves: string[] }[];
}

export function kernelEntry(e: EntryInput, target = "debian-6.1-lab"): ManifestKernel {
  return {
    target,
    release: e.release,
    arch: "x86_64",
    buildId: e.buildId,
    module: {
      file: e.module.file,
      name: e.module.name,
      sha256: createHash("sha256").update(e.module.bytes).digest("hex"),
      length: e.module.bytes.length,
    },
    patches: e.patches,
  };
}

export function manifestOf(
  version: number,
  kernels: ManifestKernel[],
  now: Date,
  days = 14,
): Manifest {
  const expires = now.getTime() + days * 86_400_000;
  return {
    schema: 1,
    version,
    issued: new Date(Math.min(now.getTime() - 60_000, expires - 86_400_000)).toISOString(),
    expires: new Date(expires).toISOString(),
    repository: "example/livepatches",
    kernels,
  };
}

async function writeSigned(dir: string, name: string, bytes: Uint8Array, signer: Signer) {
  await writeFile(path.join(dir, name), bytes);
  await writeFile(path.join(dir, `${name}.asc`), await signer.sign(bytes));
}

/** Writes `manifest`, one kernel manifest per entry, and `modules` into `dir`. */
export async function publishDir(
  dir: string,
  manifest: Manifest,
  modules: FakeModule[],
  signer: Signer,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const enc = (m: Manifest) => Buffer.from(JSON.stringify(m, null, 2) + "\n");
  await writeSigned(dir, "manifest.json", enc(manifest), signer);
  for (const k of manifest.kernels) {
    await writeSigned(
      dir,
      kernelManifestName(k.buildId),
      enc({ ...manifest, kernels: [k] }),
      signer,
    );
  }
  for (const m of modules) await writeSigned(dir, m.file, m.bytes, signer);
}
