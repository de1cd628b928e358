/**
 * The forge's storage service: one URL signer per forge and the objects
 * each area lets it serve (`asset`, `artifact`, `log`), looked up by kind.
 * Areas register a resolver; the `/_storage` route (rest/storage.ts) serves.
 */
import type { ForgeContext } from "../context.js";
import type { ArtifactLie } from "../http/faults.js";
import { UrlSigner } from "./signed-urls.js";

export interface StoredObject {
  blobKey: string;
  /** Strong validator (the content's sha256). */
  sha256: string;
  size: number;
  lastModified: string;
  contentType: string;
  /** A lying storage (a test's ArtifactLie): its `extraBytes` zero bytes served past the end, no Content-Length. */
  lie?: ArtifactLie | undefined;
  /** Called when the bytes are served (download counters). */
  onServed?: () => void;
}

export type StorageResolver = (id: string) => StoredObject | undefined;

export interface Storage {
  signer: UrlSigner;
  resolvers: Map<string, StorageResolver>;
  /** An absolute short-lived URL serving `kind`/`id`. */
  url(kind: string, id: string, ttlS?: number): string;
  /** The same URL without scheme and host, for clients that reach the forge under another name. */
  path(kind: string, id: string, ttlS?: number): string;
}

const perForge = new WeakMap<ForgeContext, Storage>();

/** The storage of `ctx`'s forge (made on first use; its secret lives as long as the process). */
export function storageFor(ctx: ForgeContext): Storage {
  let s = perForge.get(ctx);
  if (!s) {
    const signer = new UrlSigner();
    s = {
      signer,
      resolvers: new Map(),
      // GitHub's storage links last minutes; five is plenty for a loopback client.
      path: (kind, id, ttlS = 300) => signer.sign(kind, id, ctx.now().getTime(), ttlS),
      url: (kind, id, ttlS = 300) =>
        `${ctx.urls.web}${signer.sign(kind, id, ctx.now().getTime(), ttlS)}`,
    };
    perForge.set(ctx, s);
  }
  return s;
}
