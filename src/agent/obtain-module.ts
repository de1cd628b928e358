/**
 * Gets the module an entry names into <stateDir>/modules/: reused when the
 * stored copy still has the signed sha256, else downloaded with the
 * manifest's length as a hard cap into a temp file, checked (length, sha256,
 * its own .asc) and only then renamed into place.
 */
import { createHash } from "node:crypto";
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import path from "node:path";
import { LpctlError } from "../core/errors.js";
import { BASE_NAME, type ManifestKernel } from "../core/manifest.js";
import { stateDirOf, type AgentDeps } from "./agent-deps.js";
import { SIGNATURE_MAX_BYTES } from "./fetcher.js";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

export const modulesDirOf = (deps: AgentDeps) => path.join(stateDirOf(deps), "modules");

async function storedDigest(file: string): Promise<string | undefined> {
  return readFile(file).then(sha256, () => undefined);
}

async function writeSynced(file: string, data: Uint8Array): Promise<void> {
  const handle = await open(file, "w", 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The actual path of the verified module for `entry`, and the sha256 of the bytes there. */
export async function obtainModule(
  deps: AgentDeps,
  entry: ManifestKernel,
  trust: { keys: string[]; threshold: number },
  now: Date,
): Promise<{ file: string; sha256: string }> {
  const { file, sha256: want, length } = entry.module;
  // file names: a plain base name, never a path into the state dir's parent.
  if (!BASE_NAME.test(file)) {
    throw new LpctlError(
      "MANIFEST_FILE_NAME_UNSAFE",
      `module file name '${file}' is not a plain name`,
    );
  }
  const dir = modulesDirOf(deps);
  await mkdir(dir, { recursive: true });
  const dest = path.join(dir, file);
  if ((await storedDigest(dest)) === want) return { file: dest, sha256: want };

  const res = await deps.fetcher.fetch({ name: file, maxBytes: length });
  if (res.status !== "ok") {
    throw new LpctlError(
      "FETCH_FAILED",
      `module ${file} listed in the manifest is missing on the source`,
    );
  }
  // length and digest: the module must be exactly what the signed manifest names.
  if (res.body.byteLength !== length || sha256(res.body) !== want) {
    throw new LpctlError(
      "DIGEST_MISMATCH",
      `module ${file} (${res.body.byteLength} bytes, sha256 ${sha256(res.body)}) differs from the manifest ` +
        `(${length} bytes, sha256 ${want}); refusing it`,
    );
  }
  const tmp = path.join(dir, `.${file}.${process.pid}.part`);
  await writeSynced(tmp, res.body);
  try {
    const sig = await deps.fetcher.fetch({ name: `${file}.asc`, maxBytes: SIGNATURE_MAX_BYTES });
    if (sig.status !== "ok") {
      throw new LpctlError("SIGNATURE_MISSING", `module ${file} has no signature ${file}.asc`);
    }
    // Loaded on demand: a no-change sync never needs OpenPGP (agent start time).
    const { verifyDetached } = await import("../core/verify/index.js");
    await verifyDetached(res.body, sig.body, trust.keys, now, trust.threshold);
    await rename(tmp, dest);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  return { file: dest, sha256: sha256(res.body) };
}
