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
import { kernelManifestName, type Manifest } from "../core/manifest.js";
import { releaseVex, vexFileName } from "../core/openvex.js";
import type { Signer } from "../core/sign/signer.js";
import { verifyDetached } from "../core/verify/index.js";

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
  for (const k of input.manifest.kernels) {
    if (!k.module) continue; // withdrawn: the entry has no module
    const bytes = input.modules.get(k.module.file);
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
  // For scanners: signed like the manifests, derived from the manifest alone.
  for (const k of input.manifest.kernels) {
    const vex = releaseVex(input.manifest, k);
    if (vex) await signed(vexFileName(k.buildId), canonicalJsonBytes(vex), JSON_TYPE);
  }
  for (const part of splitManifest(input.manifest)) {
    const k = part.kernels[0];
    if (k) await signed(kernelManifestName(k.buildId), canonicalJsonBytes(part), JSON_TYPE);
  }
  await signed("manifest.json", canonicalJsonBytes(input.manifest), JSON_TYPE);
  return files;
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
