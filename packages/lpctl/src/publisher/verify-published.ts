/**
 * Reads a published directory for `lpctl mirror --key`: the manifest's
 * signature is checked before its JSON is parsed, and every file to copy is
 * checked (module length, sha256 and .asc; each kernel-<id>.json's signature,
 * version and entry; each vex-<id>.json's signature and its bytes, which
 * must be the document the manifest gives) before anything is written, so a tampered source never
 * yields a broken mirror. Build reports carry no signature and are not copied.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { canonicalJson, canonicalJsonBytes } from "../core/canonical-json.js";
import { LpctlError } from "../core/errors.js";
import { kernelManifestName, type Manifest } from "../core/manifest.js";
import { releaseVex, vexFileName } from "../core/openvex.js";
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
  for (const { module: m } of manifest.kernels) {
    if (!m) continue; // withdrawn: nothing to copy
    const module = await readPublishedFile(dir, m.file);
    const sha256 = createHash("sha256").update(module).digest("hex");
    // integrity: copy exactly the bytes the signed manifest names.
    if (module.length !== m.length || sha256 !== m.sha256) {
      throw new LpctlError(
        "DIGEST_MISMATCH",
        `${join(dir, m.file)} (${module.length} bytes, sha256 ${sha256}) differs from the manifest (${m.length} bytes, sha256 ${m.sha256}); refusing to mirror it`,
      );
    }
    const moduleSig = await readPublishedFile(dir, `${m.file}.asc`);
    await verifyDetached(module, moduleSig, trust.keys, now, trust.threshold);
    add(m.file, module, "application/octet-stream");
    add(`${m.file}.asc`, moduleSig, ASC_TYPE);
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
  for (const k of manifest.kernels) {
    const vex = releaseVex(manifest, k);
    if (vex === undefined) continue;
    const name = vexFileName(k.buildId);
    const bytes = await readPublishedFile(dir, name);
    const sig = await readPublishedFile(dir, `${name}.asc`);
    await verifyDetached(bytes, sig, trust.keys, now, trust.threshold);
    // A validly signed VEX of another release would tell scanners the wrong story.
    if (Buffer.compare(Buffer.from(bytes), Buffer.from(canonicalJsonBytes(vex))) !== 0)
      throw new LpctlError(
        "VEX_MISMATCH",
        `${join(dir, name)} is not the OpenVEX document manifest.json (version ${manifest.version}) gives for ${k.buildId}; refusing to mirror a mixed release`,
      );
    add(name, bytes, JSON_TYPE);
    add(`${name}.asc`, sig, ASC_TYPE);
  }
  add("manifest.json", manifestBytes, JSON_TYPE);
  add("manifest.json.asc", signature, ASC_TYPE);
  return { manifest, files };
}
