/**
 * An in-memory GitHub for the app's handler tests: a `fetch` that Octokit
 * uses instead of the network, answering from FakeState. It follows
 * redirects itself, as fetch does (artifact downloads are a 302 to storage).
 */
import { API, routes, UPLOADS, type Reply } from "./fake-routes.js";
import { FakeState } from "./fake-state.js";

export { API } from "./fake-routes.js";

export function fakeGitHub(): { state: FakeState; fetch: typeof fetch } {
  const state = new FakeState();
  const table = routes(state);
  const handle = (method: string, url: URL, body: unknown, raw: Uint8Array | undefined): Reply => {
    const path = url.origin === UPLOADS ? `UPLOAD${url.pathname}` : url.pathname;
    for (const [m, re, h] of table) {
      const match = m === method ? re.exec(path) : null;
      if (match) return h(match, url.searchParams, body, raw);
    }
    return { status: 404, json: { message: `fake GitHub has no route for ${method} ${path}` } };
  };
  const fakeFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    let url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
    );
    const method = (init?.method ?? "GET").toUpperCase();
    const raw =
      init?.body instanceof Uint8Array
        ? init.body
        : typeof init?.body === "string"
          ? new TextEncoder().encode(init.body)
          : undefined;
    const body =
      typeof init?.body === "string" && init.body !== ""
        ? (JSON.parse(init.body) as unknown)
        : undefined;
    for (let hops = 0; ; hops++) {
      state.requests.push(`${method} ${url.pathname}`);
      const reply = handle(method, url, body, raw);
      if (reply.status === 302 && reply.location && hops < 3) {
        url = new URL(reply.location);
        continue;
      }
      await Promise.resolve();
      const payload = reply.stream ?? reply.bytes;
      const res = payload
        ? new Response(payload, {
            status: reply.status,
            headers: { "content-type": "application/octet-stream" },
          })
        : reply.status === 204
          ? new Response(null, { status: 204 })
          : new Response(JSON.stringify(reply.json ?? {}), {
              status: reply.status,
              headers: { "content-type": "application/json; charset=utf-8" },
            });
      // A fetched response knows its final URL (pagination reads it); a constructed one does not.
      Object.defineProperty(res, "url", { value: url.href });
      return res;
    }
  };
  void API;
  return { state, fetch: fakeFetch };
}
