import { describe, expect, it } from "vitest";
import { parseBuildId } from "../../../src/builder/kernel/build-id.js";
import { createProgress, formatElapsed } from "../../../src/builder/runtime/progress.js";
import { parseKpatchVersion } from "../../../src/builder/runtime/tools.js";

describe("parseBuildId", () => {
  it("reads GNU readelf -n output", () => {
    const text = `Displaying notes found in: .notes
  Owner                Data size \tDescription
  Xen                  0x00000006\tUnknown note type: (0x00000006)
  GNU                  0x00000014\tNT_GNU_BUILD_ID (unique build ID bitstring)
    Build ID: 5f3c0e7a9d1b2c4e6f8091a2b3c4d5e6f7a8b9c0
`;
    expect(parseBuildId(text)).toBe("5f3c0e7a9d1b2c4e6f8091a2b3c4d5e6f7a8b9c0");
    expect(parseBuildId("no notes")).toBeUndefined();
  });
});

describe("progress", () => {
  it("prints elapsed time per phase and records phase durations", () => {
    let t = 0;
    const lines: string[] = [];
    const p = createProgress(
      { now: () => new Date(0), monotonicMs: () => t, sleep: () => Promise.resolve() },
      (l) => lines.push(l),
    );
    p.phase("unpack source");
    t = 12_345;
    p.phase("configure", "tinyconfig");
    t = 20_000;
    p.end();
    expect(lines).toEqual(["[   0.0s] unpack source", "[  12.3s] configure: tinyconfig"]);
    expect(p.timings).toEqual({ "unpack source": 12.3, configure: 7.7 });
    expect(formatElapsed(61_000)).toBe("[  61.0s]");
  });
});

describe("parseKpatchVersion", () => {
  it("reads the Version line", () => {
    expect(parseKpatchVersion("Version : 0.9.9\n")).toBe("0.9.9");
    expect(parseKpatchVersion("usage")).toBeUndefined();
  });
});
