import { describe, expect, it } from "vitest";
import { readArtifactZip, type ZipLimits } from "../../src/artifact-zip.js";
import { readReport } from "../../src/build-artifact.js";
import { isLpctlError } from "@livepatch-gitops/lpctl/core/errors";
import { makeZip } from "./helpers/zip.js";

const limits: ZipLimits = { maxEntries: 4, maxEntryBytes: 1024, maxTotalBytes: 1500 };

async function refusal(bytes: Uint8Array, l = limits): Promise<string> {
  try {
    await readArtifactZip(bytes, "build-lab", l);
  } catch (e) {
    expect(isLpctlError(e, "ARTIFACT_UNSAFE")).toBe(true);
    return (e as Error).message;
  }
  throw new TypeError("the zip was accepted");
}

describe("artifact zip safety", () => {
  it("inflates only the entries asked for, still checking every name", async () => {
    const big = "x".repeat(1400);
    const keepReport = (p: string) => p === "build-report.json";
    const files = await readArtifactZip(
      await makeZip([
        { name: "build-report.json", data: "{}" },
        { name: "m.ko", data: big },
        { name: "n.ko", data: big },
      ]),
      "a",
      limits,
      keepReport,
    );
    // Two 1400-byte modules would pass the 1500-byte total: they were not inflated.
    expect([...files.keys()]).toEqual(["build-report.json"]);
    await expect(
      readArtifactZip(
        await makeZip([{ name: "xx/etc/cron", data: "x" }], { "xx/etc/cron": "../etc/cron" }),
        "a",
        limits,
        keepReport,
      ),
    ).rejects.toThrow(/climbs out|cannot be read safely/);
  });

  it("reads plain files", async () => {
    const files = await readArtifactZip(
      await makeZip([
        { name: "build-report.json", data: "{}" },
        { name: "m.ko", data: "x" },
      ]),
      "a",
      limits,
    );
    expect([...files.keys()]).toEqual(["build-report.json", "m.ko"]);
    expect(Buffer.from(files.get("m.ko") ?? []).toString()).toBe("x");
  });

  it("refuses zip slip (..)", async () => {
    const zip = await makeZip([{ name: "xx/evil.txt", data: "x" }], {
      "xx/evil.txt": "../evil.txt",
    });
    expect(await refusal(zip)).toMatch(/\.\.|relative path/);
  });

  it("refuses an absolute path", async () => {
    const zip = await makeZip([{ name: "xetc/passwd", data: "x" }], {
      "xetc/passwd": "/etc/passwd",
    });
    expect(await refusal(zip)).toMatch(/absolute/);
  });

  it("refuses a symbolic link", async () => {
    const zip = await makeZip([{ name: "link", data: "/etc/passwd", mode: 0o120777 }]);
    expect(await refusal(zip)).toContain("symbolic link");
  });

  it("refuses too many entries", async () => {
    const zip = await makeZip(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data: "x" })));
    expect(await refusal(zip)).toContain("5 entries");
  });

  it("refuses an oversized entry, even one that compresses well", async () => {
    const zip = await makeZip([{ name: "big", data: "0".repeat(4096) }]);
    expect(zip.length).toBeLessThan(1024);
    expect(await refusal(zip)).toContain("big");
  });

  it("refuses more than the total size", async () => {
    const zip = await makeZip([
      { name: "a", data: "0".repeat(1000) },
      { name: "b", data: "0".repeat(1000) },
    ]);
    expect(await refusal(zip)).toContain("in total");
  });

  it("refuses a duplicate name", async () => {
    const zip = await makeZip(
      [
        { name: "a.txt", data: "1" },
        { name: "b.txt", data: "2" },
      ],
      { "b.txt": "a.txt" },
    );
    expect(await refusal(zip)).toContain("twice");
  });

  it("refuses what is not a zip", async () => {
    expect(await refusal(new TextEncoder().encode("not a zip at all, just text"))).toContain(
      "not a valid zip",
    );
  });

  it("an invalid build report gets a message naming the field", () => {
    const files = new Map([
      ["build-report.json", new TextEncoder().encode(JSON.stringify({ schema: 1, target: "lab" }))],
    ]);
    expect(() => readReport("lab", files)).toThrow(/build-lab\/build-report\.json: release/);
    expect(() => readReport("lab", new Map())).toThrow(/missing/);
    expect(() =>
      readReport(
        "lab",
        new Map([["build-report.json", new TextEncoder().encode('{"a":1,"a":2}')]]),
      ),
    ).toThrow(/twice/);
  });
});
