/**
 * One request through the forge: request id, route lookup, credentials,
 * fault switch, rate-limit headers, the handler, a durable commit for
 * anything that may have changed state, the conformance hook, the answer.
 * Any error becomes GitHub's error body; nothing escapes to kill the server.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { principalKey, resolvePrincipal, type Principal } from "../auth/principal.js";
import type { ForgeContext } from "../context.js";
import type { ResponseRecord } from "../types.js";
import { Body, parseJsonObject, readBody } from "./body.js";
import { ForgeHttpError, notFound } from "./errors.js";
import type { RateLimits } from "./rate-limit.js";
import { sendReply } from "./respond.js";
import { API_PREFIX, UPLOADS_PREFIX, type Router } from "./router.js";
import type { ForgeRequest, Reply } from "./types.js";

export interface Pipeline {
  ctx: ForgeContext;
  router: Router;
  rateLimits: RateLimits;
  onResponse?: (r: ResponseRecord) => string | undefined;
}

function apiPath(pathname: string): string | undefined {
  for (const prefix of [API_PREFIX, UPLOADS_PREFIX]) {
    if (pathname === prefix || pathname.startsWith(prefix + "/"))
      return pathname.slice(prefix.length);
  }
  return undefined;
}

function errorReply(e: unknown, log: (l: string) => void): Reply {
  if (e instanceof ForgeHttpError) return { status: e.status, body: e.body, headers: e.headers };
  log(`forge: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return { status: 500, body: new ForgeHttpError(500, "Server Error").body };
}

export async function handleRequest(
  p: Pipeline,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { ctx } = p;
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  // Route on the path as sent: URL parsing would resolve `..` segments before
  // the content and asset handlers could refuse them.
  const rawPath = (req.url ?? "/").split("?")[0] ?? "/";
  const inApi = apiPath(rawPath);
  res.setHeader("X-GitHub-Request-Id", randomBytes(8).toString("hex").toUpperCase());
  let reply: Reply;
  let operationPath: string | undefined;
  let principal: Principal | undefined;
  try {
    const match = p.router.find(method, rawPath);
    if (!match) throw notFound();
    operationPath = match.operationPath;
    principal = await resolvePrincipal(
      ctx.db,
      req.headers.authorization,
      req.socket.remoteAddress ?? "",
      Date.now(),
    );
    if (inApi !== undefined) setApiHeaders(p, res, principal);
    const fault = await ctx.faults.answer(method, operationPath, inApi ?? rawPath);
    if (fault) throw fault;
    let body: Body | undefined;
    const request: ForgeRequest = {
      method,
      url,
      params: match.params,
      query: url.searchParams,
      headers: req.headers,
      principal,
      raw: req,
      body: async () =>
        (body ??= new Body(parseJsonObject(await readBody(req, ctx.limits.jsonBytes)))),
    };
    reply = await match.handler(request);
  } catch (e) {
    reply = errorReply(e, ctx.log);
  }
  if (method !== "GET" && method !== "HEAD") {
    // Whatever a write changed is durable before the client hears about it.
    ctx.store.touch();
    await ctx.store.commit();
  }
  if (reply.status === 413) res.setHeader("Connection", "close");
  if (inApi !== undefined && p.onResponse && !reply.stream) {
    const violation = p.onResponse({
      method,
      path: inApi + url.search,
      ...(operationPath !== undefined ? { operationPath } : {}),
      status: reply.status,
      body: reply.body,
    });
    if (violation !== undefined) {
      reply = {
        status: 502,
        body: { message: `forge response violates GitHub's schema: ${violation}` },
      };
    }
  }
  await sendReply(res, reply, method === "HEAD");
}

function setApiHeaders(p: Pipeline, res: ServerResponse, principal: Principal): void {
  const limit = principal.kind === "anonymous" ? 60 : principal.kind === "user" ? 5000 : 15000;
  const w = p.rateLimits.count(principalKey(principal), limit, Date.now());
  res.setHeader("X-RateLimit-Limit", String(w.limit));
  res.setHeader("X-RateLimit-Remaining", String(w.remaining));
  res.setHeader("X-RateLimit-Reset", String(w.reset));
  res.setHeader("X-RateLimit-Used", String(w.used));
  res.setHeader("X-RateLimit-Resource", w.resource);
  res.setHeader("X-GitHub-Media-Type", "github.v3; format=json");
  res.setHeader("X-GitHub-Api-Version-Selected", "2022-11-28");
}
