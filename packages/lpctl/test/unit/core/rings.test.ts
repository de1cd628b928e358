/** The rings file: its schema and the order rules every reader (publisher, PR check) applies. */
import { describe, expect, it } from "vitest";
import { checkRingsFile, parseRingsFile, RINGS_PATH } from "../../../src/core/rings.js";

const check = (text: string) => checkRingsFile(RINGS_PATH, text);
const messages = (text: string) => check(text).problems.map((p) => `${p.path}: ${p.message}`);

describe("the rings file", () => {
  it("reads a first ring and later rings with their release and soak", () => {
    const text = "rings:\n  - name: canary\n  - name: stable\n    release: 12\n    soakHours: 24\n";
    expect(parseRingsFile(RINGS_PATH, text)).toEqual({
      rings: [{ name: "canary" }, { name: "stable", release: 12, soakHours: 24 }],
    });
  });

  it("refuses names that cannot be file names, and a name declared twice", () => {
    expect(messages("rings:\n  - name: Canary\n")).toEqual([
      "rings[0].name: must match [a-z][a-z0-9-]{0,31}",
    ]);
    expect(messages("rings:\n  - name: a\n  - name: a\n    release: 1\n")).toEqual([
      "rings[1].name: ring 'a' is declared twice",
    ]);
    expect(messages("rings:\n  - name: ../x\n")[0]).toMatch(/^rings\[0\]\.name:/);
  });

  it("needs a release on every later ring and none on the first", () => {
    expect(messages("rings:\n  - name: a\n    release: 3\n  - name: b\n")).toEqual([
      "rings[0].release: the first ring gets every release: it has no release",
      "rings[1].release: ring 'b' needs the release it runs (release: N, tag vN)",
    ]);
  });

  it("refuses a later ring ahead of the ring before it", () => {
    const text =
      "rings:\n  - name: canary\n  - name: early\n    release: 4\n  - name: stable\n    release: 5\n";
    expect(messages(text)).toEqual([
      "rings[2].release: ring 'stable' (v5) is ahead of the ring before it, 'early' (v4); a later ring never runs newer content",
    ]);
    expect(messages(text.replace("release: 5", "release: 4"))).toEqual([]);
  });

  it("is read as strictly as the repository's other YAML: unknown keys, duplicate keys, no rings", () => {
    expect(messages("rings:\n  - name: a\n    relase: 3\n")[0]).toMatch(/relase/);
    expect(check("rings: []\nrings: []\n").problems[0]?.code).toBe("YAML_INVALID");
    expect(messages("rings: []\n")[0]).toMatch(/^rings:/);
    expect(() => parseRingsFile(RINGS_PATH, "rings:\n  - name: a\n  - name: b\n")).toThrow(
      expect.objectContaining({ code: "RINGS_INVALID" }) as Error,
    );
  });
});
