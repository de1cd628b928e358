/**
 * Attacks on the host that a correctly signed file can still carry: a
 * manifest for another repository, another kernel's manifest under this
 * kernel's name, an equal version with other content, a reused module name.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run.js";
import { kernelManifestName } from "../../../src/core/manifest.js";
import { LAB_BUILD_ID, LAB_RELEASE } from "./helpers/fake-host.js";
import { fakeModule, kernelEntry, manifestOf, publishDir } from "./helpers/publish-dir.js";
import { makeSigner, NOW, scenario, type Scenario, code } from "./helpers/scenario.js";

let keys: Awaited<ReturnType<typeof makeSigner>>;
let s: Scenario;
beforeAll(async () => {
  keys = await makeSigner();
});
afterEach(async () => {
  await s.close();
});

const KERNEL_JSON = kernelManifestName(LAB_BUILD_ID);
const OTHER_BUILD_ID = "0123456789abcdef0123456789abcdef01234567";

async function expectStillOnV1(errorCode: string): Promise<void> {
  const st = await s.state();
  expect(st.manifest?.version).toBe(1);
  expect(st.applied?.name).toBe("lp_v1");
  expect(st.lastError?.code).toBe(errorCode);
  expect(await s.livepatch("lp_v1")).toBe("1");
}

describe("lpctl sync: signed but wrong", () => {
  it("a manifest for another repository is refused, exit 2 from the CLI", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.publish(2, "lp_v2", ["a", "b"], { repository: "mallory/livepatches" });
    expect(await code(s.sync())).toBe("MANIFEST_REPOSITORY_MISMATCH");
    await expectStillOnV1("MANIFEST_REPOSITORY_MISMATCH");
    const cfg = path.join(s.root, "etc/lpctl/config.yaml");
    await writeFile(
      cfg,
      `source: ${s.config.source}\nrepository: example/livepatches\nkeys: [/etc/lpctl/keys/key0.asc]\n`,
    );
    const err: string[] = [];
    const exit = await runCli(["sync", "--root", s.root], {
      out: () => undefined,
      err: (l) => err.push(l),
    });
    expect(exit).toBe(2);
    expect(err.join("\n")).toMatch(/mallory\/livepatches/);
  });

  it("mix-and-match: another kernel's signed manifest served under this kernel's name", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    const other = await mkdtemp(path.join(os.tmpdir(), "lpctl-other-"));
    const mod = fakeModule("lp_other");
    const entry = kernelEntry({
      release: LAB_RELEASE,
      buildId: OTHER_BUILD_ID,
      module: mod,
      patches: [],
    });
    await publishDir(other, manifestOf(2, [entry], NOW), [mod], keys.signer);
    const name = kernelManifestName(OTHER_BUILD_ID);
    s.server.replace.set(KERNEL_JSON, await readFile(path.join(other, name)));
    s.server.replace.set(`${KERNEL_JSON}.asc`, await readFile(path.join(other, `${name}.asc`)));
    expect(await code(s.sync())).toBe("MANIFEST_WRONG_KERNEL");
    await expectStillOnV1("MANIFEST_WRONG_KERNEL");
  });

  it("an equal version with different content is refused (TUF)", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    await s.publish(1, "lp_v1", ["a", "b"]);
    expect(await code(s.sync())).toBe("MANIFEST_VERSION_REUSED");
    await expectStillOnV1("MANIFEST_VERSION_REUSED");
    expect((await s.state()).manifest?.entry?.patches.map((p) => p.id)).toEqual(["a"]);
  });

  it("a reused module name with other bytes is not taken for the loaded module", async () => {
    s = await scenario(keys);
    const v1 = await s.publish(1, "lp_v1", ["a"]);
    await s.sync();
    expect((await s.state()).applied?.sha256).toBe(
      createHash("sha256").update(v1.bytes).digest("hex"),
    );
    await s.publish(2, "lp_v1", ["a", "b"], { size: 8192 });
    expect(await code(s.sync())).toBe("MODULE_NAME_REUSED");
    const st = await s.state();
    // status must keep reporting what is loaded, not the new manifest's digest.
    expect(st.applied?.sha256).toBe(createHash("sha256").update(v1.bytes).digest("hex"));
    expect(st.applied?.version).toBe(1);
    expect(s.loader.calls).toEqual(["load lp_v1"]);
  });
});
