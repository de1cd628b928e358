import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneRepo } from "./git-client.js";

const CHILD = fileURLToPath(new URL("./helpers/forge-child.ts", import.meta.url));
// Inside the worktree so the bundle's bare imports resolve node_modules; per
// process: scripts/test.sh runs this file under two Node versions at once.
const OUT = fileURLToPath(
  new URL(`../../../../.cache/forge-child-${String(process.pid)}.mjs`, import.meta.url),
);
let dataDir = "";

beforeAll(async () => {
  await build({
    entryPoints: [CHILD],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile: OUT,
    logLevel: "error",
  });
  dataDir = await mkdtemp(path.join(os.tmpdir(), "forge-crash-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(OUT, { force: true });
});

interface Child {
  proc: ResultPromise;
  url: string;
  apiUrl: string;
  adminToken: string;
}

async function startChild(): Promise<Child> {
  const proc = execa("node", [OUT, dataDir], { reject: false, buffer: false });
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0] ?? "");
    });
    proc.once("exit", () => reject(new TypeError(`forge child exited early: ${out}`)));
  });
  return { proc, ...(JSON.parse(line) as Omit<Child, "proc">) };
}

const api = (c: Child, token: string, method: string, p: string, body?: unknown) =>
  fetch(`${c.apiUrl}${p}`, {
    method,
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

describe("crash safety", () => {
  it("a forge killed with SIGKILL during writes restarts with every acknowledged write and consistent ids", async () => {
    const first = await startChild();
    const user = await api(first, first.adminToken, "POST", "/admin/users", {
      login: "alice",
      email: "alice@forge.local",
    });
    expect(user.status).toBe(201);
    const auth = (await (
      await api(first, first.adminToken, "POST", "/admin/users/alice/authorizations", {
        scopes: ["repo"],
      })
    ).json()) as { token: string };
    expect((await api(first, auth.token, "POST", "/user/repos", { name: "demo" })).status).toBe(
      201,
    );
    const c = await cloneRepo(`${first.url}/alice/demo.git`, auth.token);
    await c.write("README.md", "hello\n");
    const sha = await c.commitAll("first");
    await c.git("push", "--quiet", "origin", "main");

    // Writes in flight when the process dies: only acknowledged ones must survive.
    const acknowledged: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const login = `u${w}-${i}`;
        const res = await api(first, first.adminToken, "POST", "/admin/users", { login }).catch(
          () => undefined,
        );
        if (res?.status === 201) acknowledged.push(login);
      }
    });
    while (acknowledged.length < 30) await new Promise((r) => setTimeout(r, 5));
    first.proc.kill("SIGKILL");
    await first.proc;
    stop = true;
    await Promise.all(writers);

    const second = await startChild();
    try {
      for (const login of acknowledged) {
        expect([
          login,
          (await api(second, second.adminToken, "GET", `/users/${login}`)).status,
        ]).toEqual([login, 200]);
      }
      const fresh = (await (
        await api(second, second.adminToken, "POST", "/admin/users", { login: "after-crash" })
      ).json()) as { id: number };
      const ids = await Promise.all(
        acknowledged.map(
          async (l) =>
            (
              (await (await api(second, second.adminToken, "GET", `/users/${l}`)).json()) as {
                id: number;
              }
            ).id,
        ),
      );
      expect(new Set(ids).size).toBe(ids.length);
      expect(fresh.id).toBeGreaterThan(Math.max(...ids));
      // The token issued before the crash, the repository and its git data are all still there.
      const { status } = await api(second, auth.token, "GET", "/repos/alice/demo/commits/main");
      expect(status).toBe(200);
      const again = await cloneRepo(`${second.url}/alice/demo.git`, auth.token);
      expect(await again.git("rev-parse", "HEAD")).toBe(sha);
    } finally {
      second.proc.kill("SIGTERM");
      await second.proc;
    }
  });
});
