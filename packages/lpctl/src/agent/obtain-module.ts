/**
 * Gets the module an entry names into <stateDir>/modules/: reused when the
 * stored copy still has the signed sha256, else downloaded with the
 * manifest's length as a hard cap, checked in memory (length, sha256, its own
 * .asc) and only then written with packages/lpctl/src/io's crash-safe writeFileAtomic.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { LpctlError } from "../core/errors.js";
import { BASE_NAME, type ModuleEntry } from "../core/manifest.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { fsStep } from "../io/fs-errors.js";
import { stateDirOf, type AgentDeps } from "./agent-deps.js";
import { SIGNATURE_MAX_BYTES } from "./fetcher.js";
import { trace } from "./trace.js";
import type { ModuleTrust } from "./verified-copy.js";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

export const modulesDirOf = (deps: AgentDeps) => path.join(stateDirOf(deps), "modules");

async function storedDigest(file: string): Promise<string | undefined> {
  return readFile(file).then(sha256, () => undefined);
}

/**
 * The actual path of the verified module for `entry`, and the sha256 of the
 * bytes there. `into` stores it elsewhere than modules/, with its signature
 * beside it when `withSignature` (a copy kept for the next boot).
 */
export async function obtainModule(
  deps: AgentDeps,
  entry: ModuleEntry,
  trust: ModuleTrust,
  now: Date,
  into?: { dir: string; withSignature: boolean },
): Promise<{ file: string; sha256: string }> {
  const { file, sha256: want, length } = entry.module;
  // file names: a plain base name, never a path into the state dir's parent.
  if (!BASE_NAME.test(file)) {
    throw new LpctlError(
      "MANIFEST_FILE_NAME_UNSAFE",
      `module file name '${file}' is not a plain name`,
    );
  }
  const dir = into?.dir ?? modulesDirOf(deps);
  await fsStep(`create ${dir}`, () => mkdir(dir, { recursive: true }), { code: "STATE_INVALID" });
  const dest = path.join(dir, file);
  const signed = into?.withSignature !== true || (await stat(`${dest}.asc`).catch(() => null));
  if (signed && (await storedDigest(dest)) === want) return { file: dest, sha256: want };

  trace("module-stored-copy-checked");
  const res = await deps.fetcher.fetch({ name: file, maxBytes: length });
  trace("module-read");
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
  trace("module-digest-checked");
  // A stored copy at boot: its record vouches that these bytes' signature verified.
  let signature: Uint8Array | undefined;
  if (!("record" in trust)) {
    const sig = await deps.fetcher.fetch({ name: `${file}.asc`, maxBytes: SIGNATURE_MAX_BYTES });
    if (sig.status !== "ok") {
      throw new LpctlError("SIGNATURE_MISSING", `module ${file} has no signature ${file}.asc`);
    }
    // Loaded on demand: a no-change sync never needs OpenPGP (agent start time).
    const { verifyDetached } = await import("../core/verify/index.js");
    await verifyDetached(res.body, sig.body, trust.keys, now, trust.threshold);
    trace("module-signature-verified");
    signature = sig.body;
  }
  // Only verified bytes reach the disk, and never half-written under the real name.
  await fsStep(`store the module ${dest}`, () => writeFileAtomic(dest, res.body, 0o600));
  if (into?.withSignature === true && signature !== undefined) {
    const asc = signature;
    await fsStep(`store ${dest}.asc`, () => writeFileAtomic(`${dest}.asc`, asc, 0o600));
  }
  return { file: dest, sha256: sha256(res.body) };
}
