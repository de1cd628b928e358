/**
 * `/_storage/<kind>/<id>?expires=…&sig=…`: where downloads redirect. Serves
 * the bytes with a quoted ETag, Last-Modified and Content-Length, answers
 * 304 to a matching conditional request, and 403 to an expired or altered
 * URL (GitHub's storage answers such links with 403 too).
 */
import type { ForgeContext } from "../context.js";
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
