/**
 * The files of one published version, signed, in publishing order: modules
 * and their signatures, build reports, each kernel's OpenVEX document,
 * per-kernel manifests, and the full manifest last (a reader never sees a
 * manifest before what it names).
 */
import { createHash } from "node:crypto";
import { canonicalJsonBytes } from "../core/canonical-json.js";
import { LpctlError } from "../core/errors.js";
import { splitManifest } from "../core/manifest-build.js";
import {
  fullManifestName,
  kernelManifestName,
  type Manifest,
  type ManifestKernel,
} from "../core/manifest.js";
import { releaseVex, vexFileName } from "../core/openvex.js";
import type { Signer } from "../core/sign/signer.js";
import { verifyDetached } from "../core/verify/index.js";
import type { RingRelease } from "./ring-releases.js";

export interface ReleaseFile {
  name: string;
  bytes: Uint8Array;
  contentType: string;
  /**
   * For a signature: whether different bytes already published are just as
   * good (a valid signature by the same key over the same file). Signatures
   * carry their creation time, so a re-run makes different bytes.
   */
  accepts?: (existing: Uint8Array) => Promise<boolean>;
}

export interface ReleaseInput {
  manifest: Manifest;
  /** Module bytes by file name (every `kernels[].module.file`). */
  modules: ReadonlyMap<string, Uint8Array>;
  /** Raw build-report.json bytes by target (optional, published as build-report-<target>.json). */
  reports?: ReadonlyMap<string, Uint8Array>;
  signer: Signer;
  /** Reference time for checking signatures already published. */
  now?: Date;
  /** Every ring's manifest (the first ring's included) and the modules only later rings name. */
  rings?: readonly RingRelease[];
}

export const sha256Hex = (bytes: Uint8Array): string =>
  createHash("sha256").update(bytes).digest("hex");

/** Signs and orders every file of the release for `input.manifest`. */
export async function releaseFiles(input: ReleaseInput): Promise<ReleaseFile[]> {
  const now = input.now ?? new Date();
  const files: ReleaseFile[] = [];
  const signed = async (name: string, bytes: Uint8Array, contentType: string): Promise<void> => {
    files.push({ name, bytes, contentType });
    files.push({
      name: `${name}.asc`,
      bytes: utf8(await input.signer.sign(bytes)),
      contentType: ASC,
      accepts: (existing) => signs(existing, bytes, input.signer.publicKey, now),
    });
  };
  const rings = input.rings ?? [];
  const signedModules = new Set<string>();
  const entries = [input.manifest, ...rings.map((r) => r.manifest)].flatMap((m) => m.kernels);
  for (const k of entries) {
    if (!k.module) continue; // withdrawn: the entry has no module
    // A module two rings share (or one ring and the release) is published once.
    if (signedModules.has(k.module.file)) {
      checkSameModule({ ...k, module: k.module }, entries);
      continue;
    }
    signedModules.add(k.module.file);
    const file = k.module.file;
    const bytes =
      input.modules.get(file) ?? rings.map((r) => r.modules.get(file)).find((b) => b !== undefined);
    // integrity: publish exactly the bytes the manifest describes.
    if (bytes === undefined) {
      throw new LpctlError(
        "FILE_MISSING",
        `module ${k.module.file} for target '${k.target}' is missing; pass the build output directory that holds it`,
      );
    }
    if (bytes.length !== k.module.length || sha256Hex(bytes) !== k.module.sha256) {
      throw new LpctlError(
        "DIGEST_MISMATCH",
        `module ${k.module.file} does not match its build report (length or sha256); rebuild or pass the right file`,
      );
    }
    await signed(k.module.file, bytes, "application/octet-stream");
  }
  for (const [target, bytes] of input.reports ?? []) {
    files.push({ name: `build-report-${target}.json`, bytes, contentType: JSON_TYPE });
  }
  // For scanners: signed like the manifests, derived from the (first ring's) manifest alone.
  for (const k of input.manifest.kernels) {
    const vex = releaseVex(input.manifest, k);
    if (vex) await signed(vexFileName(k.buildId), canonicalJsonBytes(vex), JSON_TYPE);
  }
  // Ring manifests before the unringed ones: manifest.json stays the last file.
  for (const m of [...rings.map((r) => r.manifest), input.manifest]) {
    for (const part of splitManifest(m)) {
      const k = part.kernels[0];
      if (k)
        await signed(kernelManifestName(k.buildId, m.ring), canonicalJsonBytes(part), JSON_TYPE);
    }
  }
  for (const m of [...rings.map((r) => r.manifest), input.manifest])
    await signed(fullManifestName(m.ring), canonicalJsonBytes(m), JSON_TYPE);
  return files;
}

/** A module file two rings name must be one module: the same sha256 in both entries. */
function checkSameModule(
  k: ManifestKernel & { module: NonNullable<ManifestKernel["module"]> },
  entries: readonly ManifestKernel[],
): void {
  const first = entries.find((e) => e.module?.file === k.module.file)?.module;
  if (first && first.sha256 !== k.module.sha256)
    throw new LpctlError(
      "MODULE_NAME_REUSED",
      `module ${k.module.file} is named by two rings with different sha256 (${first.sha256}, ${k.module.sha256}); build with lpctl build --serial <next version> so new bytes get a new name`,
    );
}

/** True when `signature` is a valid signature over `bytes` by `publicKey`. */
async function signs(
  signature: Uint8Array,
  bytes: Uint8Array,
  publicKey: string,
  now: Date,
): Promise<boolean> {
  try {
    await verifyDetached(bytes, signature, [publicKey], now);
    return true;
  } catch {
    return false;
  }
}

const ASC = "application/pgp-signature";
const JSON_TYPE = "application/json";
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
