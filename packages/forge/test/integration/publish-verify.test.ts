/**
 * `lpctl publish --github --api-url <forge>` against the forge, then `lpctl
 * verify` of what the public download URLs serve: the publisher's real
 * traffic, held to GitHub's schemas, and the bytes a host would fetch.
 */
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  lpctl,
  REPO_ROOT,
  tempDir,
  writeBuildOutputs,
} from "@livepatch-gitops/test-support/publisher-helpers";
import {
  pushFiles,
  startAreas,
  type AreasSetup,
} from "@livepatch-gitops/test-support/forge-areas-helpers";

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

/** `lpctl publish --github` of the build outputs in `reports`, patch metadata from `checkout`. */
function publishGithub(reports: string, checkout: string) {
  return lpctl(
    "publish",
    "--reports",
    reports,
    "--key",
    join(tmp, "keys/signing-key.asc"),
    "--repository",
    "alice/demo",
    "--checkout",
    checkout,
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
}

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
    const published = await publishGithub(join(tmp, "b"), REPO_ROOT);
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

  it("publishes every ring of the checkout's rings file: stable keeps v1's modules in v2", async () => {
    process.env.LPCTL_TEST_TOKEN = await s.app.installationToken();
    const checkout = join(tmp, "checkout");
    for (const d of ["kernels", "patches"])
      await cp(join(REPO_ROOT, d), join(checkout, d), { recursive: true });
    await mkdir(join(checkout, ".github"), { recursive: true });
    await writeFile(
      join(checkout, ".github/livepatch-rings.yml"),
      "rings:\n  - name: canary\n  - name: stable\n    release: 1\n",
    );
    await writeBuildOutputs(join(tmp, "b2"), ["lab-a", "lab-b"], "v2", 4096, {
      repository: "alice/demo",
      commit: sha,
      ref: "refs/heads/main",
      event: "push",
      workflowRun: "2",
    });
    const published = await publishGithub(join(tmp, "b2"), checkout);
    expect(published.code, published.err).toBe(0);
    const dl = join(tmp, "dl2");
    await mkdir(dl, { recursive: true });
    const files: Record<
      string,
      { ring?: string; version: number; kernels: { module: { file: string } }[] }
    > = {};
    for (const ring of ["canary", "stable"]) {
      const name = `manifest.${ring}.json`;
      const file = await download(name, dl);
      await download(`${name}.asc`, dl);
      const verified = await lpctl(
        "verify",
        "--manifest",
        file,
        "--key",
        join(tmp, "keys/signing-key.pub.asc"),
      );
      expect(verified.code, verified.err).toBe(0);
      files[ring] = JSON.parse(await readFile(file, "utf8")) as (typeof files)[string];
    }
    expect(files.canary?.ring).toBe("canary");
    expect(files.stable).toMatchObject({ ring: "stable", version: 2 });
    expect(files.canary?.kernels.map((k) => k.module?.file)).toEqual([
      "livepatch-v2-lab-a.ko",
      "livepatch-v2-lab-b.ko",
    ]);
    expect(files.stable?.kernels.map((k) => k.module?.file)).toEqual([
      "livepatch-v1-lab-a.ko",
      "livepatch-v1-lab-b.ko",
    ]);
    // The stable ring's modules come from the latest release too.
    await download("livepatch-v1-lab-a.ko", dl);
    await s.t.forge.waitIdle();
    expect(s.conf.violations).toEqual([]);
  });
});
