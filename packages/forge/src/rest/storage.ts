/**
 * `/_storage/<kind>/<id>?expires=…&sig=…`: where downloads redirect. Serves
 * the bytes with a quoted ETag, Last-Modified and Content-Length, answers
 * 304 to a matching conditional request, and 403 to an expired or altered
 * URL (GitHub's storage answers such links with 403 too).
 */
import { Readable } from "node:stream";
import type { ForgeContext } from "../context.js";
import type { ArtifactLie } from "../http/faults.js";
import { ForgeHttpError } from "../http/errors.js";
import type { Handler, Routes } from "../http/types.js";
import { notModified } from "../downloads/conditional-get.js";
import { STORAGE_PREFIX } from "../downloads/signed-urls.js";
import { storageFor } from "../downloads/downloads.js";

export function registerStorage(routes: Routes, ctx: ForgeContext): void {
  const storage = storageFor(ctx);
  const serve: Handler = (req) => {
    const kind = req.params.kind ?? "";
    const id = req.params.id ?? "";
    const q = req.query;
    if (!storage.signer.verify(kind, id, q.get("expires"), q.get("sig"), ctx.now().getTime())) {
      throw new ForgeHttpError(403, "Request has expired or its signature does not match");
    }
    const obj = storage.resolvers.get(kind)?.(id);
    if (!obj) throw new ForgeHttpError(404, "Not Found");
    const etag = `"${obj.sha256}"`;
    const modified = new Date(obj.lastModified);
    const headers = {
      ETag: etag,
      "Last-Modified": modified.toUTCString(),
      "Cache-Control": "private, max-age=300",
    };
    if (notModified(req.headers, etag, modified)) return { status: 304, headers };
    if (req.method === "GET") obj.onServed?.();
    if (obj.lie?.extraBytes !== undefined)
      return {
        status: 200,
        stream: Readable.from(pastTheEnd(ctx.blobs.read(obj.blobKey), obj.lie)),
        headers: { ...headers, "Content-Type": obj.contentType },
      };
    return {
      status: 200,
      stream: ctx.blobs.read(obj.blobKey),
      headers: {
        ...headers,
        "Content-Type": obj.contentType,
        "Content-Length": String(obj.size),
      },
    };
  };
  routes.web("GET", `${STORAGE_PREFIX}/{kind}/{id}`, serve);
  routes.web("HEAD", `${STORAGE_PREFIX}/{kind}/{id}`, serve);
}

/** The object's bytes, then the lie's extra zero bytes, counted as they go. */
async function* pastTheEnd(object: AsyncIterable<Uint8Array>, lie: ArtifactLie) {
  yield* object;
  const zeros = new Uint8Array(1024 * 1024);
  for (let left = lie.extraBytes ?? 0; left > 0; left -= zeros.length) {
    const chunk = left >= zeros.length ? zeros : zeros.subarray(0, left);
    lie.extraServed = (lie.extraServed ?? 0) + chunk.length;
    yield chunk;
  }
}
