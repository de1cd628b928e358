import { execFileSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { fileFetcher } from "../../../src/agent/file-fetcher.js";
import { httpFetcher } from "../../../src/agent/http-fetcher.js";

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

async function serve(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/d/`;
}

describe("http fetcher", () => {
  it("sends validators, returns them, maps 304 and 404", async () => {
    const seen: (string | undefined)[] = [];
    const since: (string | undefined)[] = [];
    const base = await serve((req, res) => {
      seen.push(req.headers["if-none-match"]);
      since.push(req.headers["if-modified-since"]);
      if (req.url === "/d/missing") return void res.writeHead(404).end();
      if (req.headers["if-none-match"] === '"e1"') return void res.writeHead(304).end();
      res
        .writeHead(200, { etag: '"e1"', "last-modified": "Sat, 21 Nov 2026 00:00:00 GMT" })
        .end("hello");
    });
    const f = httpFetcher(base);
    const ok = await f.fetch({ name: "a.json", maxBytes: 10 });
    expect(ok).toMatchObject({
      status: "ok",
      etag: '"e1"',
      lastModified: "Sat, 21 Nov 2026 00:00:00 GMT",
    });
    const lastModified = "Sat, 21 Nov 2026 00:00:00 GMT";
    expect(await f.fetch({ name: "a.json", maxBytes: 10, etag: '"e1"', lastModified })).toEqual({
      status: "not-modified",
    });
    expect(await f.fetch({ name: "missing", maxBytes: 10 })).toEqual({ status: "not-found" });
    await f.fetch({ name: "a.json", maxBytes: 10, lastModified });
    expect(seen).toEqual([undefined, '"e1"', undefined, undefined]);
    // If-Modified-Since only when there is no ETag: a server ignores it beside If-None-Match.
    expect(since).toEqual([undefined, undefined, undefined, lastModified]);
  });

  it("refuses an announced Content-Length above the cap before reading", async () => {
    const base = await serve((_req, res) =>
      res.writeHead(200, { "content-length": 100 }).end(Buffer.alloc(100)),
    );
    await expect(httpFetcher(base).fetch({ name: "x", maxBytes: 99 })).rejects.toMatchObject({
      code: "DOWNLOAD_TOO_LARGE",
    });
  });

  it("follows redirects but not to another scheme, and reports HTTP errors", async () => {
    const base = await serve((req, res) => {
      if (req.url === "/d/hop") return void res.writeHead(302, { location: "/s/x" }).end();
      if (req.url === "/d/ftp") return void res.writeHead(302, { location: "ftp://h/x" }).end();
      if (req.url === "/s/x") return void res.writeHead(200).end("moved");
      if (req.url === "/d/loop") return void res.writeHead(302, { location: "/d/loop" }).end();
      res.writeHead(500).end();
    });
    const f = httpFetcher(base);
    const got = await f.fetch({ name: "hop", maxBytes: 10 });
    expect(got.status === "ok" && Buffer.from(got.body).toString()).toBe("moved");
    await expect(f.fetch({ name: "ftp", maxBytes: 10 })).rejects.toMatchObject({
      code: "FETCH_FAILED",
    });
    await expect(f.fetch({ name: "loop", maxBytes: 10 })).rejects.toMatchObject({
      code: "FETCH_FAILED",
    });
    await expect(f.fetch({ name: "boom", maxBytes: 10 })).rejects.toMatchObject({
      code: "FETCH_FAILED",
    });
  });
});

describe("file fetcher", () => {
  it("reads, caps, reports not-found, and not-modified by content", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-ff-"));
    await writeFile(path.join(dir, "m.json"), "{}");
    const f = fileFetcher(pathToFileURL(dir).href + "/");
    const ok = await f.fetch({ name: "m.json", maxBytes: 10 });
    expect(ok.status).toBe("ok");
    const etag = ok.status === "ok" ? ok.etag : "";
    expect(await f.fetch({ name: "m.json", maxBytes: 10, etag })).toEqual({
      status: "not-modified",
    });
    // Same size, same second: still a change.
    await writeFile(path.join(dir, "m.json"), "[]");
    expect((await f.fetch({ name: "m.json", maxBytes: 10, etag })).status).toBe("ok");
    expect(await f.fetch({ name: "none", maxBytes: 10 })).toEqual({ status: "not-found" });
    await expect(f.fetch({ name: "m.json", maxBytes: 1 })).rejects.toMatchObject({
      code: "DOWNLOAD_TOO_LARGE",
    });
    // A name is a base name: no way out of the mirror directory.
    expect(await f.fetch({ name: "../../etc/passwd", maxBytes: 10 })).toEqual({
      status: "not-found",
    });
  });
});

describe("fetchers refuse to be held forever", () => {
  it("http: a server dripping bytes inside the idle timeout hits the overall deadline", async () => {
    let timer: NodeJS.Timeout | undefined;
    const base = await serve((_req, res) => {
      res.writeHead(200, { "content-length": 1000 });
      timer = setInterval(() => res.write("x"), 50);
    });
    const started = performance.now();
    const f = httpFetcher(base, { timeoutMs: 1000, deadlineMs: 400 });
    await expect(f.fetch({ name: "slow", maxBytes: 1000 })).rejects.toMatchObject({
      code: "FETCH_FAILED",
      message: expect.stringMatching(/deadline/) as unknown,
    });
    clearInterval(timer);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it("file://: a FIFO is refused at once instead of waiting for a writer", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-fifo-"));
    execFileSync("mkfifo", [path.join(dir, "manifest.json")]);
    const started = performance.now();
    await expect(
      fileFetcher(`${pathToFileURL(dir).href}/`).fetch({ name: "manifest.json", maxBytes: 10 }),
    ).rejects.toMatchObject({
      code: "FETCH_FAILED",
      message: expect.stringMatching(/not a regular file/) as unknown,
    });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
