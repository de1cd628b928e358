/**
 * A loopback HTTP server serving a mirror directory like GitHub releases do:
 * /download/<name> redirects to /storage/<name>, which answers with ETag
 * and Last-Modified and honours If-None-Match. Counts requests and bytes.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";

export interface MirrorServer {
  baseUrl: string;
  /** The same files without the redirect, as a plain mirror or CDN serves them. */
  directUrl: string;
  requests: string[];
  /** Bytes read + written on every connection so far. */
  wireBytes(): number;
  /** name → body served instead of the file (tampering), or extra bytes appended. */
  replace: Map<string, Buffer>;
  appendJunk: Map<string, number>;
  close(): Promise<void>;
}

export async function startMirror(dir: () => string): Promise<MirrorServer> {
  const sockets: Socket[] = [];
  const requests: string[] = [];
  const replace = new Map<string, Buffer>();
  const appendJunk = new Map<string, number>();
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = req.url ?? "/";
      requests.push(`${req.method ?? "GET"} ${url}`);
      const dl = /^\/download\/([^/]+)$/.exec(url);
      if (dl) {
        res.writeHead(302, { location: `/storage/${dl[1] ?? ""}?sig=x` }).end();
        return;
      }
      const st = /^\/storage\/([^/?]+)/.exec(url);
      const name = decodeURIComponent(st?.[1] ?? "");
      let body: Buffer;
      try {
        body = replace.get(name) ?? (await readFile(path.join(dir(), path.basename(name))));
      } catch {
        res.writeHead(404).end("Not Found");
        return;
      }
      const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      const junk = appendJunk.get(name);
      if (junk !== undefined) {
        // No Content-Length: the client must enforce its cap while streaming.
        res.writeHead(200, { etag });
        res.write(body);
        const chunk = Buffer.alloc(64 * 1024, 0x41);
        for (let sent = 0; sent < junk && !res.destroyed; sent += chunk.length) {
          if (!res.write(chunk)) await new Promise((r) => res.once("drain", r).once("close", r));
        }
        res.end();
        return;
      }
      res.writeHead(200, {
        etag,
        "content-length": body.length,
        "last-modified": new Date(0).toUTCString(),
      });
      res.end(body);
    })();
  });
  server.on("connection", (s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/download/`,
    directUrl: `http://127.0.0.1:${port}/storage/`,
    requests,
    wireBytes: () => sockets.reduce((n, s) => n + s.bytesRead + s.bytesWritten, 0),
    replace,
    appendJunk,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
