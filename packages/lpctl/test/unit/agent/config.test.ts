import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadAgentConfig, parseAgentConfig } from "../../../src/agent/config.js";
import { hostRoot } from "../../../src/agent/host-root.js";
import { LpctlError } from "../../../src/core/errors.js";

const error = (f: () => unknown): LpctlError => {
  try {
    f();
  } catch (e) {
    if (e instanceof LpctlError) return e;
  }
  throw new Error("no LpctlError");
};

describe("agent config", () => {
  it("fills defaults and normalises the source", () => {
    const c = parseAgentConfig(
      {
        source: "https://github.com/o/r/releases/latest/download",
        repository: "o/r",
        keys: ["/etc/lpctl/k.asc"],
      },
      "c.yaml",
    );
    expect(c).toMatchObject({
      source: "https://github.com/o/r/releases/latest/download/",
      threshold: 1,
      stateDir: "/var/lib/lpctl",
      transitionTimeout: 60,
      kernelIdentity: "build-id",
      loader: { load: ["insmod"], unload: ["rmmod"] },
    });
  });

  it("reports every bad field with its path", () => {
    const e = error(() =>
      parseAgentConfig(
        {
          source: "ftp://x/",
          keys: ["relative.asc"],
          kernelIdentity: "name",
          loader: { load: [] },
        },
        "/etc/lpctl/config.yaml",
      ),
    );
    expect(e.code).toBe("CONFIG_INVALID");
    expect(e.message).toMatch(/config\.yaml: source: must be an http/);
    expect(e.message).toMatch(/keys\[0\]: must be an absolute path/);
    expect(e.message).toMatch(/kernelIdentity:/);
    expect(e.message).toMatch(/loader\.load:/);
  });

  it("says in English what zod's own checks expected (zod/mini has no default locale)", () => {
    const e = error(() =>
      parseAgentConfig(
        {
          source: "file:///m/",
          repository: "o/r",
          keys: ["/k"],
          threshold: 0,
          transitionTimeout: "60",
          loader: { load: [] },
        },
        "c",
      ),
    );
    expect(e.message).toContain("c: threshold: Too small: expected number to be >0");
    expect(e.message).toContain(
      "c: transitionTimeout: Invalid input: expected number, received string",
    );
    expect(e.message).toContain("c: loader.load: Too small: expected array to have >=1 items");
  });

  it("refuses unknown fields and a threshold above the key count", () => {
    expect(
      error(() =>
        parseAgentConfig({ source: "file:///m/", repository: "o/r", keys: ["/k"], extra: 1 }, "c"),
      ).message,
    ).toMatch(/unrecognized|extra/i);
    expect(
      error(() =>
        parseAgentConfig(
          { source: "file:///m/", repository: "o/r", keys: ["/k"], threshold: 2 },
          "c",
        ),
      ).message,
    ).toMatch(/threshold: 2 exceeds/);
  });

  it("requires the repository the host follows, and says how to add it", () => {
    const missing = error(() => parseAgentConfig({ source: "file:///m/", keys: ["/k"] }, "c"));
    expect(missing.code).toBe("CONFIG_INVALID");
    expect(missing.message).toMatch(/c: repository: required.*operating-hosts/);
    const bad = { source: "file:///m/", repository: "../x", keys: ["/k"] };
    expect(error(() => parseAgentConfig(bad, "c")).message).toMatch(
      /repository: must be owner\/name/,
    );
  });

  it("reads YAML from disk and reports YAML errors", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-cfg-"));
    await writeFile(
      path.join(dir, "ok.yaml"),
      "source: file:///srv/mirror\nrepository: o/r\nkeys: [/etc/lpctl/a.asc]\n",
    );
    await writeFile(path.join(dir, "bad.yaml"), "source: [\n");
    expect((await loadAgentConfig(path.join(dir, "ok.yaml"))).source).toBe("file:///srv/mirror/");
    await expect(loadAgentConfig(path.join(dir, "bad.yaml"))).rejects.toMatchObject({
      code: "CONFIG_INVALID",
    });
    await expect(loadAgentConfig(path.join(dir, "none.yaml"))).rejects.toMatchObject({
      code: "CONFIG_INVALID",
    });
  });

  it("the packaged config (every field commented out) names what to write for each required field", async () => {
    const packaged = await readFile("packaging/deb/config.yaml", "utf8");
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-cfg-"));
    await writeFile(path.join(dir, "config.yaml"), packaged);
    const err = await loadAgentConfig(path.join(dir, "config.yaml")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LpctlError);
    const lines = (err as LpctlError).message
      .split("\n")
      .map((l) => l.replace(/^.*config\.yaml: /, ""));
    expect(lines).toEqual([
      "source: required: where the manifests are published, e.g. source: https://livepatches.example.org/",
      "repository: required: the repository this host follows, e.g. repository: owner/livepatches (see docs/operating-hosts.md, migrating)",
      "keys: required: the pinned public key file(s), e.g. keys: [/etc/lpctl/keys/release.asc]",
    ]);
    // Uncommenting the three examples is a working configuration.
    const filled = packaged
      .replace("#source:", "source:")
      .replace("#repository:", "repository:")
      .replace("#keys:\n#  -", "keys:\n  -");
    const ok = parseAgentConfig((await import("yaml")).parse(filled), "filled");
    expect(ok).toMatchObject({
      repository: "example/livepatches",
      keys: ["/etc/lpctl/keys/release.asc"],
    });
  });

  it("host paths resolve under the root, and / is the real host", () => {
    expect(hostRoot("/tmp/fake").resolve("/sys/kernel/notes")).toBe("/tmp/fake/sys/kernel/notes");
    expect(hostRoot("/tmp/fake").resolve("/../../etc/x")).toBe("/tmp/fake/etc/x");
    expect(hostRoot("/").resolve("/proc/sys/kernel/osrelease")).toBe("/proc/sys/kernel/osrelease");
  });
});
