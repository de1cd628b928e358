/**
 * Reads a published directory for `lpctl mirror --key`: the manifest's
 * signature is checked before its JSON is parsed, and every file to copy is
 * checked (module length, sha256 and .asc; each kernel-<id>.json's signature,
 * version and entry) before anything is written, so a tampered source never
 * yields a broken mirror. Build reports carry no signature and are not copied.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { canonicalJson } from "../core/canonical-json.js";
import { LpctlError } from "../core/errors.js";
import { kernelManifestName, type Manifest } from "../core/manifest.js";
import {
  checkKernelBinding,
  checkKeyVersion,
  followKeyLists,
  verifyDetached,
  verifyManifest,
} from "../core/verify/index.js";
import { dirKeyListReader, keyListFiles } from "./read-key-lists.js";
import { ASC_TYPE, JSON_TYPE, readPublishedFile } from "./published-file.js";
import type { ReleaseFile } from "./release-files.js";

export interface VerifiedDir {
  manifest: Manifest;
  files: ReleaseFile[];
}

/** Every signed file of the release in `dir`, verified with `keys` at `now`. */
export async function readVerifiedDir(
  dir: string,
  keys: readonly string[],
  now: Date,
): Promise<VerifiedDir> {
  // The key lists in the directory move trust from the pinned keys forward.
  const trust = await followKeyLists(
    dirKeyListReader(dir),
    { version: 0, threshold: 1, keys: [...keys] },
    now,
  );
  const manifestBytes = await readPublishedFile(dir, "manifest.json");
  const signature = await readPublishedFile(dir, "manifest.json.asc");
  const { manifest } = await verifyManifest({
    manifest: manifestBytes,
    signature,
    keys: trust.keys,
    threshold: trust.threshold,
    now,
  });
  checkKeyVersion(manifest, trust.version, join(dir, "manifest.json"));
  // Only the lists the chain walked: a stray keys-<N>.json after a gap is not verified.
  const files: ReleaseFile[] = (await keyListFiles(dir)).filter(
    (f) => Number(/^keys-(\d+)/.exec(f.name)?.[1]) <= trust.version,
  );
  const add = (name: string, bytes: Uint8Array, contentType: string): void => {
    files.push({ name, bytes, contentType });
  };
  for (const k of manifest.kernels) {
    const module = await readPublishedFile(dir, k.module.file);
    const sha256 = createHash("sha256").update(module).digest("hex");
    // integrity: copy exactly the bytes the signed manifest names.
    if (module.length !== k.module.length || sha256 !== k.module.sha256) {
      throw new LpctlError(
        "DIGEST_MISMATCH",
        `${join(dir, k.module.file)} (${module.length} bytes, sha256 ${sha256}) differs from the manifest (${k.module.length} bytes, sha256 ${k.module.sha256}); refusing to mirror it`,
      );
    }
    const moduleSig = await readPublishedFile(dir, `${k.module.file}.asc`);
    await verifyDetached(module, moduleSig, trust.keys, now, trust.threshold);
    add(k.module.file, module, "application/octet-stream");
    add(`${k.module.file}.asc`, moduleSig, ASC_TYPE);
  }
  for (const k of manifest.kernels) {
    const name = kernelManifestName(k.buildId);
    const bytes = await readPublishedFile(dir, name);
    const sig = await readPublishedFile(dir, `${name}.asc`);
    const part = await verifyManifest({
      manifest: bytes,
      signature: sig,
      keys: trust.keys,
      threshold: trust.threshold,
      now,
    });
    checkKernelBinding(part.manifest, k.buildId, name);
    checkKeyVersion(part.manifest, trust.version, join(dir, name));
    const entry = part.manifest.kernels[0];
    if (part.manifest.version !== manifest.version || canonicalJson(entry) !== canonicalJson(k)) {
      throw new LpctlError(
        "MANIFEST_WRONG_KERNEL",
        `${join(dir, name)} (version ${part.manifest.version}) does not hold manifest.json's entry for ${k.buildId} (version ${manifest.version}); refusing to mirror a mixed release`,
      );
    }
    add(name, bytes, JSON_TYPE);
    add(`${name}.asc`, sig, ASC_TYPE);
  }
  add("manifest.json", manifestBytes, JSON_TYPE);
  add("manifest.json.asc", signature, ASC_TYPE);
  return { manifest, files };
}
