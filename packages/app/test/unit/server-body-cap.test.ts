/**
 * Attack: an unauthenticated 100 MiB webhook body with a bad signature took
 * the app from 96 MB to 2.6 GB RSS and blocked its event loop for seconds,
 * because the whole body was buffered before the signature check. Real
 * HTTP requests on 127.0.0.1 against the app's real server.
 */
import { createHmac } from "node:crypto";
import { request } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDeps } from "../../src/deps.js";
import { livepatchApp } from "../../src/index.js";
import { startAppServer, type AppServer } from "../../src/server.js";

const SECRET = "webhook-secret";
const MiB = 1024 * 1024;
const PATH = "/api/github/webhooks";

let app: AppServer;
beforeAll(async () => {
  const probot = new Probot({ githubToken: "unused", secret: SECRET, logLevel: "fatal" });
  const deps = appDeps({ signer: () => Promise.reject(new Error("no signing here")) });
  app = await startAppServer({
    probot,
    app: livepatchApp(deps),
    port: 0,
    host: "127.0.0.1",
    webhookPath: PATH,
  });
});
afterAll(async () => {
  await app.stop();
});

/** Status of a request the server cut off before answering it (EPIPE/ECONNRESET while sending). */
const CUT_OFF = -1;

/**
 * POSTs `size` bytes (in 1 MiB writes of one reused buffer) and resolves with
 * the status, or CUT_OFF when the server closed the connection before the
 * client could read its answer: with a chunked body the 413 and the close
 * race the client's next write, and which one the client sees first is luck.
 */
function post(
  size: number,
  opts: { chunked?: boolean; signature?: string; body?: Buffer; event?: string } = {},
): Promise<number> {
  const body = opts.body;
  return new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port: app.port,
      path: PATH,
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": opts.event ?? "ping",
        "x-github-delivery": `d-${Math.random()}`,
        "x-hub-signature-256": opts.signature ?? `sha256=${"0".repeat(64)}`,
        ...(opts.chunked ? {} : { "content-length": String(body?.length ?? size) }),
      },
    });
    let answered = false;
    let sent = 0;
    req.on("response", (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The server may close while the rest is still being sent: only the answer matters.
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (answered) return;
      // Cut off mid-body: only valid if the server stopped long before the end.
      if ((e.code === "EPIPE" || e.code === "ECONNRESET") && sent < size) resolve(CUT_OFF);
      else reject(e);
    });
    if (body) return void req.end(body);
    const chunk = Buffer.alloc(MiB, 0x20);
    const pump = () => {
      while (sent < size && !req.destroyed) {
        sent += MiB;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

async function measured(what: string, send: () => Promise<number>): Promise<number> {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const status = await send();
  delay.disable();
  const after = process.memoryUsage().rss;
  const grew = (after - before) / MiB;
  console.log(
    `${what}: HTTP ${status}; RSS ${(before / MiB).toFixed(0)} MiB -> ${(after / MiB).toFixed(0)} MiB (+${grew.toFixed(0)} MiB); event loop delay max ${(delay.max / 1e6).toFixed(0)} ms`,
  );
  expect(grew).toBeLessThan(64);
  expect(delay.max / 1e6).toBeLessThan(1000);
  return status;
}

describe("the app's webhook server", () => {
  it("answers a 100 MiB body with a bad signature 413 without buffering it", async () => {
    expect(await measured("100 MiB, content-length", () => post(100 * MiB))).toBe(413);
  });

  it("cuts off a 100 MiB chunked body (no content-length) at the cap", async () => {
    // A server that read it all would answer 400 (bad signature) after the whole body.
    expect([413, CUT_OFF]).toContain(
      await measured("100 MiB, chunked", () => post(100 * MiB, { chunked: true })),
    );
  });

  it("still checks signatures of bodies under the cap", async () => {
    const body = Buffer.from(JSON.stringify({ zen: "ok", hook_id: 1 }));
    expect(await post(0, { body })).toBe(400);
    const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    expect(await post(0, { body, signature })).toBe(200);
  });
});
