/**
 * The verification record of a stored copy (<stateDir>/kernels/<buildId>/verified.json):
 * written by the sync that prepared the copy, after it verified the
 * manifest's signature with the trusted keys (key lists followed) and the
 * module's length, sha256 and signature (prepare-installed.ts). At boot
 * (`lpctl sync --offline`) the copy is checked against it with node:crypto
 * instead of OpenPGP, whose loading and first signature check are most of
 * the boot unit's time under emulation: the stored manifest's bytes must
 * have the sha256 verified then, the record must be for the running
 * kernel's build-id, and the manifest must still pass every rule that does
 * not need its signature (expiry, rollback, repository, ring, build-id
 * binding, one version one content); the module's bytes must have the
 * sha256 the manifest names (obtain-module.ts). Why that is enough: the
 * directory is root's (0700), and whoever can write it can insmod anyway
 * (docs/operating-hosts.md, "Ready before the reboot").
 */
import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import * as z from "../core/zod-mini.js";
import { LpctlError } from "../core/errors.js";
import {
  fullManifestName,
  hasModule,
  kernelManifestName,
  MANIFEST_MAX_BYTES,
} from "../core/manifest.js";
import { readManifestBytes } from "../core/verify/check-manifest.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { AgentDeps } from "./agent-deps.js";
import {
  checkBinding,
  storedManifestOf,
  type KeySet,
  type StoredManifest,
} from "./current-manifest.js";
import { readJsonFile } from "./json-file.js";
import { keyChain, type StoredTrust } from "./key-chain.js";
import type { KernelIdentity } from "./kernel-identity.js";
import { TrustSchema, type AgentState } from "./state.js";
import { trace } from "./trace.js";

export const RECORD_NAME = "verified.json";

const Sha256 = z.string().check(z.regex(/^[0-9a-f]{64}$/));

/** Built on first parse (z.lazy): only a boot (`sync --offline`) reads a record. */
const RecordSchema = z.lazy(() =>
  z.strictObject({
    schema: z.literal(1),
    /** The kernel the copy is for. */
    buildId: z.string(),
    manifest: z.strictObject({
      name: z.string(),
      sha256: Sha256,
      version: z.number(),
      expires: z.string(),
      /** The keys whose signatures were verified. */
      fingerprints: z.array(z.string()).check(z.minLength(1)),
    }),
    /** null: the manifest has no module for this kernel. */
    module: z.nullable(z.strictObject({ file: z.string(), sha256: Sha256 })),
    /** The trust the copy was verified with (key lists followed). */
    trust: TrustSchema,
    verifiedAt: z.string(),
  }),
);

export type VerificationRecord = z.infer<typeof RecordSchema>;

/** The module's trust at boot: the record vouches for the sha256 the manifest names. */
export type ModuleTrust = KeySet | { record: string };

const sha256Hex = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

const recordFile = (dir: string) => path.join(dir, RECORD_NAME);

/** Drops the record before the copy changes: a half-replaced copy has none. */
export async function dropRecord(dir: string): Promise<void> {
  await rm(recordFile(dir), { force: true });
}

/**
 * Writes the record of a copy in `dir` for kernel `buildId`: call only once
 * `manifest` and `trust` came out of currentManifest (signature verified, now
 * or on the run that stored these bytes) and its module out of obtainModule.
 */
export async function writeRecord(
  dir: string,
  buildId: string,
  manifest: StoredManifest,
  trust: StoredTrust,
  now: Date,
): Promise<void> {
  if (manifest.sha256 === undefined) return; // an agent before sha256 was kept: no record
  const entry = manifest.entry;
  const record: VerificationRecord = {
    schema: 1,
    buildId,
    manifest: {
      name: manifest.name,
      sha256: manifest.sha256,
      version: manifest.version,
      expires: manifest.expires,
      fingerprints: manifest.fingerprints,
    },
    module:
      entry !== null && hasModule(entry)
        ? { file: entry.module.file, sha256: entry.module.sha256 }
        : null,
    trust,
    verifiedAt: now.toISOString(),
  };
  await writeFileAtomic(recordFile(dir), JSON.stringify(record, null, 2) + "\n", 0o600);
}

function mismatch(file: string, what: string): LpctlError {
  return new LpctlError(
    "COPY_RECORD_MISMATCH",
    `${what} (${file}); the stored copy is not what the sync that stored it verified: refusing it (the next online sync fetches and verifies it again)`,
  );
}

const readRecord = (file: string) =>
  readJsonFile(
    file,
    RecordSchema,
    "COPY_RECORD_INVALID",
    "refusing the stored copy (the next online sync stores it again)",
  );

/**
 * The stored copy in `dir` for the running kernel `id`, checked against its
 * verification record: the manifest and trust as currentManifest returns
 * them, and the module's trust. Undefined when the copy has no record (an
 * older agent stored it) or the keys were re-pinned since: the caller then
 * verifies its signatures with OpenPGP. Any mismatch throws; nothing is
 * applied before this returns.
 */
export async function checkVerifiedCopy(
  deps: AgentDeps,
  dir: string,
  state: AgentState,
  id: KernelIdentity,
  pinnedKeys: string[],
  now: Date,
): Promise<{ manifest: StoredManifest; trust: StoredTrust; moduleTrust: ModuleTrust } | undefined> {
  const file = recordFile(dir);
  const record = await readRecord(file);
  if (record === undefined) {
    deps.log(`${file} missing: verifying the stored copy's signatures`);
    return undefined;
  }
  const chain = keyChain(deps, record.trust, pinnedKeys, now);
  if (chain.repinned) {
    deps.log(`the keys were re-pinned since ${file}: verifying the stored copy's signatures`);
    return undefined;
  }
  if (record.buildId !== id.buildId) {
    throw new LpctlError(
      "COPY_RECORD_WRONG_KERNEL",
      `${file} is for build-id ${record.buildId}, but the running kernel is ${id.buildId}; refusing the stored copy`,
      { details: { record: record.buildId, running: id.buildId } },
    );
  }
  const name = record.manifest.name;
  const ring = deps.config.ring;
  const names = [kernelManifestName(id.buildId, ring)];
  if (deps.config.kernelIdentity === "release-only") names.push(fullManifestName(ring));
  if (!names.includes(name)) throw mismatch(file, `it names manifest ${name}, not ${names[0]}`);
  const res = await deps.fetcher.fetch({ name, maxBytes: MANIFEST_MAX_BYTES });
  if (res.status !== "ok") throw mismatch(file, `the manifest ${name} it names is missing`);
  const sha256 = sha256Hex(res.body);
  if (sha256 !== record.manifest.sha256) {
    throw mismatch(
      file,
      `${name} has sha256 ${sha256}, the record ${record.manifest.sha256}: its bytes changed after they were verified`,
    );
  }
  trace("copy-record-checked");
  // The signature was checked on these bytes; every other rule holds now.
  const { manifest: m } = readManifestBytes(res.body, now, state.manifest?.version);
  if (m.version !== record.manifest.version || m.expires !== record.manifest.expires) {
    throw mismatch(file, `it says version ${record.manifest.version}, the manifest ${m.version}`);
  }
  const trust = chain.unchanged();
  checkBinding(deps, state, id, { name, sha256 }, m, trust.version);
  const manifest = storedManifestOf(deps, id, m, {
    name,
    sha256,
    fingerprints: record.manifest.fingerprints,
  });
  const entry = manifest.entry;
  const module = entry !== null && hasModule(entry) ? entry.module : undefined;
  if (module?.sha256 !== record.module?.sha256 || module?.file !== record.module?.file) {
    throw mismatch(file, `its module differs from the one the manifest names`);
  }
  deps.log(
    `checked ${name} against ${file}: version ${m.version}, expires ${m.expires}, signed by ${record.manifest.fingerprints.join(", ")} (verified ${record.verifiedAt})`,
  );
  return { manifest, trust, moduleTrust: { record: file } };
}
