/**
 * The few GitHub release endpoints the publisher uses, on 127.0.0.1, with
 * GitHub's shapes: upload_url with the {?name,label} template, `starter`
 * assets after a failed upload, 422 on a duplicate asset name.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeAsset {
  id: number;
  name: string;
  state: "uploaded" | "starter";
  bytes: Uint8Array;
  contentType: string;
}

export interface FakeRelease {
  id: number;
  tag: string;
  commit: string;
  latest: boolean;
  assets: FakeAsset[];
}

export interface FakeGitHub {
  url: string;
  releases: FakeRelease[];
  /** "METHOD path" of every request. */
  requests: string[];
  /** Upload of this asset name leaves a `starter` asset and fails with 502. */
  failUploadOf?: string;
  /** Report `digest` on assets (GitHub does since 2025); off = the publisher downloads to compare. */
  digests: boolean;
  close(): Promise<void>;
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  let nextId = 1;
  const fake: FakeGitHub = {
    url: "",
    releases: [],
    requests: [],
    digests: true,
    close: () => Promise.resolve(),
  };
  const assetJson = (a: FakeAsset): object => ({
    id: a.id,
    name: a.name,
    size: a.bytes.length,
    state: a.state,
    content_type: a.contentType,
    ...(fake.digests
      ? { digest: `sha256:${createHash("sha256").update(a.bytes).digest("hex")}` }
      : {}),
  });
  const releaseJson = (r: FakeRelease): object => ({
    id: r.id,
    tag_name: r.tag,
    target_commitish: r.commit,
    draft: false,
    prerelease: false,
    upload_url: `${fake.url}/uploads/repos/o/r/releases/${r.id}/assets{?name,label}`,
    assets: r.assets.map(assetJson),
  });
  const findAsset = (id: number): [FakeRelease, FakeAsset] | undefined => {
    for (const r of fake.releases) for (const a of r.assets) if (a.id === id) return [r, a];
    return undefined;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", fake.url);
    const method = req.method ?? "GET";
    fake.requests.push(`${method} ${url.pathname}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = new Uint8Array(Buffer.concat(chunks));
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    };
    const path = url.pathname.replace(/^\/api\/v3/, "");
    let m: RegExpMatchArray | null;
    if (method === "GET" && (m = path.match(/^\/repos\/o\/r\/releases\/tags\/(.+)$/))) {
      const r = fake.releases.find((x) => x.tag === decodeURIComponent(m?.[1] ?? ""));
      return r ? json(200, releaseJson(r)) : json(404, { message: "Not Found" });
    }
    if (method === "GET" && path === "/repos/o/r/releases/latest") {
      const r = fake.releases.find((x) => x.latest);
      return r ? json(200, releaseJson(r)) : json(404, { message: "Not Found" });
    }
    if (method === "POST" && path === "/repos/o/r/releases") {
      const input = JSON.parse(new TextDecoder().decode(body)) as {
        tag_name: string;
        target_commitish: string;
      };
      if (fake.releases.some((x) => x.tag === input.tag_name))
        return json(422, { message: "Validation Failed" });
      const r: FakeRelease = {
        id: nextId++,
        tag: input.tag_name,
        commit: input.target_commitish,
        latest: false,
        assets: [],
      };
      fake.releases.push(r);
      return json(201, releaseJson(r));
    }
    if (method === "GET" && (m = path.match(/^\/repos\/o\/r\/releases\/(\d+)\/assets$/))) {
      const r = fake.releases.find((x) => x.id === Number(m?.[1]));
      return r ? json(200, r.assets.map(assetJson)) : json(404, { message: "Not Found" });
    }
    if (
      method === "POST" &&
      (m = url.pathname.match(/^\/uploads\/repos\/o\/r\/releases\/(\d+)\/assets$/))
    ) {
      const r = fake.releases.find((x) => x.id === Number(m?.[1]));
      const name = url.searchParams.get("name") ?? "";
      if (!r) return json(404, { message: "Not Found" });
      if (r.assets.some((a) => a.name === name)) return json(422, { message: "already_exists" });
      const asset: FakeAsset = {
        id: nextId++,
        name,
        state: "uploaded",
        bytes: body,
        contentType: req.headers["content-type"] ?? "",
      };
      if (name === fake.failUploadOf) {
        r.assets.push({ ...asset, state: "starter", bytes: body.subarray(0, body.length >> 1) });
        return json(502, { message: "Bad Gateway" });
      }
      r.assets.push(asset);
      return json(201, assetJson(asset));
    }
    if ((m = path.match(/^\/repos\/o\/r\/releases\/assets\/(\d+)$/))) {
      const found = findAsset(Number(m[1]));
      if (!found) return json(404, { message: "Not Found" });
      const [r, a] = found;
      if (method === "DELETE") {
        r.assets = r.assets.filter((x) => x !== a);
        res.writeHead(204).end();
        return;
      }
      if (req.headers.accept === "application/octet-stream") {
        res.writeHead(200, { "content-type": "application/octet-stream" }).end(a.bytes);
        return;
      }
      return json(200, assetJson(a));
    }
    if (method === "PATCH" && (m = path.match(/^\/repos\/o\/r\/releases\/(\d+)$/))) {
      const r = fake.releases.find((x) => x.id === Number(m?.[1]));
      if (!r) return json(404, { message: "Not Found" });
      for (const x of fake.releases) x.latest = x === r;
      return json(200, releaseJson(r));
    }
    json(404, { message: `no fake for ${method} ${url.pathname}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
