/** What a route handler gets and gives back. */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import type { Principal } from "../auth/principal.js";
import type { Body } from "./body.js";

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE" | "HEAD";

export interface ForgeRequest {
  method: string;
  /** Absolute URL as the client sent it (used for Link headers). */
  url: URL;
  /** OpenAPI-style path params, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  principal: Principal;
  /** The raw request, for streaming bodies (uploads). */
  raw: IncomingMessage;
  /** The JSON body (read once, capped; 400 on malformed JSON). */
  body(): Promise<Body>;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A raw byte stream instead of a JSON body (downloads, logs). */
  stream?: Readable;
}

export type Handler = (req: ForgeRequest) => Promise<Reply> | Reply;

/**
 * How an area registers routes. Paths use OpenAPI syntax (`/repos/{owner}/{repo}`);
 * a trailing `{name*}` matches the rest of the path, slashes included.
 */
export interface Routes {
  /** Under `/api/v3`; `operationPath` when `path` is an alias of a documented one. */
  api(method: Method, path: string, handler: Handler, operationPath?: string): void;
  /** Under `/api/uploads`. */
  uploads(method: Method, path: string, handler: Handler): void;
  /** At the web root (public downloads, storage URLs). */
  web(method: Method, path: string, handler: Handler): void;
}

export const ok = (body: unknown, headers?: Record<string, string>): Reply => ({
  status: 200,
  body,
  ...(headers ? { headers } : {}),
});
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });
