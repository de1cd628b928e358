/**
 * Fetches this host's signed manifest: kernel-<buildId>.json (or
 * kernel-<buildId>.<ring>.json for a host in a ring), conditionally
 * (one request when nothing changed), then its detached signature. A 404
 * means the kernel is not covered; with the release-only policy the full
 * manifest.json is fetched instead.
 */
import { LpctlError } from "../core/errors.js";
import { fullManifestName, kernelManifestName, MANIFEST_MAX_BYTES } from "../core/manifest.js";
import type { AgentDeps } from "./agent-deps.js";
import { SIGNATURE_MAX_BYTES } from "./fetcher.js";
import type { KernelIdentity } from "./kernel-identity.js";

export type FetchedManifest =
  | { status: "not-modified"; name: string }
  | {
      status: "ok";
      name: string;
      body: Uint8Array;
      signature: Uint8Array;
      etag?: string;
      lastModified?: string;
    };

export interface Validators {
  name: string;
  etag?: string;
  lastModified?: string;
}

async function fetchSigned(
  deps: AgentDeps,
  name: string,
  validators: Validators | undefined,
): Promise<FetchedManifest | undefined> {
  const cond = validators?.name === name ? validators : undefined;
  const res = await deps.fetcher.fetch({
    name,
    maxBytes: MANIFEST_MAX_BYTES,
    ...(cond?.etag === undefined ? {} : { etag: cond.etag }),
    ...(cond?.lastModified === undefined ? {} : { lastModified: cond.lastModified }),
  });
  if (res.status === "not-found") return undefined;
  if (res.status === "not-modified") return { status: "not-modified", name };
  const sig = await deps.fetcher.fetch({ name: `${name}.asc`, maxBytes: SIGNATURE_MAX_BYTES });
  if (sig.status !== "ok") {
    throw new LpctlError(
      "SIGNATURE_MISSING",
      `${name} has no signature ${name}.asc on the source; refusing it`,
    );
  }
  return {
    status: "ok",
    name,
    body: res.body,
    signature: sig.body,
    ...(res.etag === undefined ? {} : { etag: res.etag }),
    ...(res.lastModified === undefined ? {} : { lastModified: res.lastModified }),
  };
}

/** The manifest for `id`; KERNEL_NOT_COVERED when the source has none. */
export async function fetchManifest(
  deps: AgentDeps,
  id: KernelIdentity,
  validators: Validators | undefined,
): Promise<FetchedManifest> {
  const ring = deps.config.ring;
  const name = kernelManifestName(id.buildId, ring);
  const own = await fetchSigned(deps, name, validators);
  if (own !== undefined) return own;
  if (deps.config.kernelIdentity === "release-only") {
    const fullName = fullManifestName(ring);
    deps.log(`checked ${name}: 404; release-only policy: trying ${fullName}`);
    const full = await fetchSigned(deps, fullName, validators);
    if (full !== undefined) return full;
  }
  throw new LpctlError(
    "KERNEL_NOT_COVERED",
    `this kernel (${id.release}, build-id ${id.buildId}) is not covered: the source has no ${name}`,
    { details: { release: id.release, buildId: id.buildId } },
  );
}
