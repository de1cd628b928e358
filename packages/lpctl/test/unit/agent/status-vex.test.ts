/**
 * `lpctl status` with not-live-patchable records, and the host's own
 * OpenVEX statement (`--format openvex`): fixed only while the module is
 * live, pending and not-live-patchable CVEs affected. Every document is
 * validated against the official OpenVEX 0.2.0 schema.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { hostVex } from "../../../src/agent/host-vex.js";
import { httpFetcher } from "../../../src/agent/http-fetcher.js";
import { collectStatus, formatStatus } from "../../../src/agent/status.js";
import { runCli } from "../../../src/cli/run.js";
import { openvexErrors } from "@livepatch-gitops/test-support/openvex-schema";
import { agentDeps, LAB_BUILD_ID } from "./helpers/fake-host.js";
import { CVE, makeSigner, NOW, scenario, type Scenario } from "./helpers/scenario.js";

let keys: Awaited<ReturnType<typeof makeSigner>>;
let s: Scenario;
beforeAll(async () => {
  keys = await makeSigner();
});
afterEach(async () => {
  await s.close();
});

const deps = () => agentDeps(s.root, s.config, httpFetcher(s.config.source), s.loader, NOW, s.log);
const record = {
  cve: "CVE-2024-1234",
  reason: "changes struct sk_buff layout",
  fixedIn: "6.1.119-1",
};
const statuses = (doc: ReturnType<typeof hostVex>) =>
  doc?.statements.map((st) => `${st.vulnerability.name} ${st.status}`);

describe("status with not-live-patchable records", () => {
  it("prints and reports each record with the version to reboot into", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"], { notLivePatchable: [record] });
    await s.sync();
    const r = await collectStatus(deps());
    expect(r.notLivePatchable).toEqual([record]);
    expect(formatStatus(r, NOW)).toContain(
      "reboot needed: CVE-2024-1234: not live patchable (changes struct sk_buff layout); needs reboot into ≥ 6.1.119-1",
    );
    // Records need a reboot, not a sync: they do not make the live-patch state failing.
    expect(r.verdict).toBe("ok");
  });

  it("the host statement: live CVEs fixed, records affected with the reboot action", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a", "bb"], { notLivePatchable: [record] });
    await s.sync();
    const doc = hostVex(await collectStatus(deps()), NOW);
    expect(openvexErrors(doc)).toBe("");
    expect(statuses(doc)).toEqual([
      `${CVE("a")} fixed`,
      `${CVE("bb")} fixed`,
      "CVE-2024-1234 affected",
    ]);
    expect(doc?.statements[2]?.action_statement).toBe(
      "reboot into ≥ 6.1.119-1 (not live patchable: changes struct sk_buff layout)",
    );
    expect(doc?.statements[0]?.products[0]?.["@id"]).toContain(`build-id=${LAB_BUILD_ID}`);
  });

  it("names a binary kernel's package at its exact version, from the signed entry", async () => {
    s = await scenario(keys);
    const image = { debian: { package: "linux-image-6.1.0-57-cloud-amd64", version: "6.1.192-3" } };
    await s.publish(1, "lp_v1", ["a"], { image });
    await s.sync();
    const r = await collectStatus(deps());
    expect(r.kernel.image).toEqual(image);
    const doc = hostVex(r, NOW);
    expect(openvexErrors(doc)).toBe("");
    expect(doc?.statements[0]?.products.map((p) => p["@id"])).toEqual([
      expect.stringContaining(`build-id=${LAB_BUILD_ID}`),
      "pkg:deb/debian/linux-image-6.1.0-57-cloud-amd64@6.1.192-3?arch=amd64",
    ]);
  });

  it("a module that did not go live: its CVEs are affected, never fixed", async () => {
    s = await scenario(keys);
    await s.publish(1, "lp_v1", ["a"]);
    s.loader.stuck = true;
    await s.sync().catch(() => undefined);
    const doc = hostVex(await collectStatus(deps()), NOW);
    expect(openvexErrors(doc)).toBe("");
    expect(statuses(doc)).toEqual([`${CVE("a")} affected`]);
    expect(doc?.statements[0]?.action_statement).toMatch(
      /^apply the live patch a: applying lp_v1 failed/,
    );
  });

  it("before any sync there is nothing to state", async () => {
    s = await scenario(keys);
    expect(hostVex(await collectStatus(deps()), NOW)).toBeUndefined();
  });
});

describe("lpctl status --format openvex", () => {
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(["status", "--root", s.root, ...args], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
  const configure = async () => {
    await mkdir(path.join(s.root, "etc/lpctl"), { recursive: true });
    await writeFile(
      path.join(s.root, "etc/lpctl/config.yaml"),
      JSON.stringify({
        repository: s.config.repository,
        keys: ["/etc/lpctl/keys/key0.asc"],
        source: s.server.baseUrl,
      }),
    );
  };

  it("writes a schema-valid document and exits 0, even with a CVE pending", async () => {
    s = await scenario(keys);
    await configure();
    expect((await cli("--format", "openvex")).err).toMatch(/^lpctl: VEX_EMPTY: no CVE to state/);
    expect((await cli("--format", "openvex")).code).toBe(1);
    await s.publish(1, "lp_v1", ["a"], { notLivePatchable: [record] });
    s.loader.stuck = true;
    await s.sync().catch(() => undefined);
    const r = await cli("--format", "openvex");
    expect(r.code, r.err).toBe(0);
    const doc: unknown = JSON.parse(r.out);
    expect(openvexErrors(doc)).toBe("");
    expect(statuses(doc as ReturnType<typeof hostVex>)).toEqual([
      `${CVE("a")} affected`,
      "CVE-2024-1234 affected",
    ]);
    // Plain status keeps the monitoring exit code: a pending patch is failing.
    expect((await cli()).code).toBe(1);
    expect((await cli("--format", "yaml")).code).toBe(64);
  });
});
