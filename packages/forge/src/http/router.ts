/**
 * The route table: find-my-way underneath, OpenAPI path templates on top,
 * so every match knows its operation path (for the conformance hook and
 * the fault switch). `{name*}` as the last segment takes the rest of the path.
 */
import FindMyWay from "find-my-way";
import type { Handler, Method, Routes } from "./types.js";

export interface RouteMatch {
  handler: Handler;
  /** The OpenAPI template, e.g. `/repos/{owner}/{repo}`; `undefined` for web routes. */
  operationPath: string | undefined;
  params: Record<string, string>;
}

interface RouteStore {
  handler: Handler;
  operationPath: string | undefined;
  rest: string | undefined;
}

export const API_PREFIX = "/api/v3";
export const UPLOADS_PREFIX = "/api/uploads";

function toFindMyWay(template: string): { path: string; rest: string | undefined } {
  let rest: string | undefined;
  const path = template.replace(/\{(\w+)(\*?)\}/g, (_m, name: string, star: string) => {
    if (star) {
      rest = name;
      return "*";
    }
    return `:${name}`;
  });
  return { path, rest };
}

export class Router implements Routes {
  private readonly fmw = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 2000 });

  private add(
    prefix: string,
    method: Method,
    template: string,
    handler: Handler,
    api: boolean,
    operationPath?: string,
  ): void {
    const { path, rest } = toFindMyWay(template);
    const store: RouteStore = {
      handler,
      // Forge-only routes (`/_forge/...`) have no GitHub operation to be checked against.
      operationPath:
        api && !template.startsWith("/_forge/")
          ? (operationPath ?? template.replace("*}", "}"))
          : undefined,
      rest,
    };
    this.fmw.on(method, prefix + path, () => undefined, store);
  }

  api(method: Method, path: string, handler: Handler, operationPath?: string): void {
    this.add(API_PREFIX, method, path, handler, true, operationPath);
  }

  uploads(method: Method, path: string, handler: Handler): void {
    this.add(UPLOADS_PREFIX, method, path, handler, true);
  }

  web(method: Method, path: string, handler: Handler): void {
    this.add("", method, path, handler, false);
  }

  find(method: string, path: string): RouteMatch | undefined {
    const found = this.fmw.find(method as Method, path);
    if (!found) return undefined;
    const store = found.store as RouteStore;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(found.params)) {
      if (v === undefined) continue;
      params[k === "*" && store.rest ? store.rest : k] = v;
    }
    return { handler: store.handler, operationPath: store.operationPath, params };
  }
}
