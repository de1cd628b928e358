/**
 * `lpctl publish --github --api-url <forge>` against the forge, then `lpctl
 * verify` of what the public download URLs serve: the publisher's real
 * traffic, held to GitHub's schemas, and the bytes a host would fetch.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lpctl, REPO_ROOT, tempDir, writeBuildOutputs } from "../publisher/helpers.js";
import { pushFiles, startAreas, type AreasSetup } from "./areas-helpers.js";

let s: AreasSetup;
let tmp: string;
let sha: string;

beforeAll(async () => {
  s = await startAreas();
  sha = await pushFiles(s.t.forge.url, s.app.owner.token, "alice/demo", { "README.md": "hi\n" });
  tmp = await tempDir("forge-publish");
  expect((await lpctl("keygen", "--name", "Forge", "--out", join(tmp, "keys"))).code).toBe(0);
  await writeBuildOutputs(join(tmp, "b"), ["lab-a", "lab-b"], "v1", 4096, {
    repository: "alice/demo",
    commit: sha,
    ref: "refs/heads/main",
    event: "push",
    workflowRun: "1",
  });
});
afterAll(() => s.stop());

async function download(name: string, dir: string): Promise<string> {
  const res = await fetch(`${s.t.forge.url}/alice/demo/releases/latest/download/${name}`);
  expect(res.status, name).toBe(200);
  const file = join(dir, name);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

describe("lpctl publish --github against the forge", () => {
  it("publishes a release that lpctl verify accepts from the public download URLs", async () => {
    process.env.LPCTL_TEST_TOKEN = await s.app.installationToken();
    const published = await lpctl(
      "publish",
      "--reports",
      join(tmp, "b"),
      "--key",
      join(tmp, "keys/signing-key.asc"),
      "--repository",
      "alice/demo",
      "--checkout",
      REPO_ROOT,
      "--github",
      "--token-env",
      "LPCTL_TEST_TOKEN",
      "--api-url",
      s.t.forge.apiUrl,
      "--commit",
      sha,
      "--expect-commit",
      sha,
    );
    expect(published.code, published.err).toBe(0);
    const dl = join(tmp, "dl");
    await mkdir(dl, { recursive: true });
    const manifest = await download("manifest.json", dl);
    await download("manifest.json.asc", dl);
    const verified = await lpctl(
      "verify",
      "--manifest",
      manifest,
      "--key",
      join(tmp, "keys/signing-key.pub.asc"),
      "--json",
    );
    expect(verified.code, verified.err).toBe(0);
    const result = JSON.parse(verified.out) as { kernels?: unknown[] };
    expect(JSON.stringify(result)).toContain("lab-a");
    await s.t.forge.waitIdle();
    expect(s.conf.violations).toEqual([]);
  });
});
