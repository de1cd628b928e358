/**
 * The app's HTTP server: Probot's webhook middleware behind a body cap.
 * Probot's own server hands the request stream to the middleware, which
 * buffers the whole body before checking its signature; here the body is
 * read with a cap first and handed on already read (the middleware takes a
 * `rawBody` when there is one), and a body over the cap is answered 413
 * without being buffered.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, type ApplicationFunction, type Probot } from "probot";
import { MAX_WEBHOOK_BODY_BYTES, readCappedBody } from "./body-cap.js";

export interface AppServerOptions {
  probot: Probot;
  app: ApplicationFunction;
  port: number;
  host: string;
  webhookPath: string;
  maxBodyBytes?: number;
}

export interface AppServer {
  server: Server;
  /** The port it listens on (the one chosen when 0 was asked for). */
  port: number;
  /** Stops taking connections; resolves once open ones are done. */
  stop(): Promise<void>;
}

/** Loads `app` into `probot` and listens on `host:port`. */
export async function startAppServer(o: AppServerOptions): Promise<AppServer> {
  const max = o.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES;
  const middleware = await createNodeMiddleware(o.app, {
    probot: o.probot,
    webhooksPath: o.webhookPath,
  });
  const notFound = (res: ServerResponse) => () => res.writeHead(404).end();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === "POST" && new URL(req.url ?? "/", "http://x").pathname === o.webhookPath) {
      const body = await readCappedBody(req, max);
      if (body === undefined) {
        o.probot.log.warn(
          { deliveryId: req.headers["x-github-delivery"] },
          `webhook body over ${max} bytes refused (413) before its signature was checked`,
        );
        // Connection: close, so the rest of the body is never read.
        res
          .writeHead(413, { "content-type": "application/json", connection: "close" })
          .end(JSON.stringify({ error: `request body over ${max} bytes` }));
        return;
      }
      Object.assign(req, { body: {}, rawBody: new Uint8Array(body) });
    }
    await middleware(req, res, notFound(res));
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      o.probot.log.error({ err: e }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  o.probot.log.info(`Listening on http://${o.host}:${(server.address() as AddressInfo).port}`);
  return {
    server,
    port: (server.address() as AddressInfo).port,
    stop: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
