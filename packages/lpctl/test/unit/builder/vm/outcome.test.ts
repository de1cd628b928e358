import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { linesOf, parseMarkers } from "../../../../src/builder/vm/markers.js";
import { classifyBoot, consoleTail, panicLine } from "../../../../src/builder/vm/outcome.js";

// Real transcripts of the lab kernel (6.1.192) under qemu; see packages/lpctl/test/fixtures/vm/README.md.
const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, "../../../fixtures/vm", name), "utf8");
const classify = (name: string, timedOut: boolean) => {
  const t = fixture(name);
  return classifyBoot(t, parseMarkers(linesOf(t)), timedOut);
};

describe("classifyBoot on captured transcripts", () => {
  it("detects a kernel panic", () => {
    expect(classify("panic-init-exited.txt", false)).toBe("panic");
    expect(panicLine(fixture("panic-init-exited.txt"))).toBe(
      "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000300",
    );
  });

  it("a panic wins even when qemu was killed at the timeout", () => {
    expect(classify("panic-init-exited.txt", true)).toBe("panic");
  });

  it("detects a hung guest", () => {
    expect(classify("hung-after-step.txt", true)).toBe("timeout");
  });

  it("a guest that stopped without the end marker is not a success", () => {
    expect(classify("hung-after-step.txt", false)).toBe("no-end-marker");
  });

  it("a finished /init is completed, whatever its steps said", () => {
    expect(classify("insmod-not-elf.txt", false)).toBe("completed");
  });
});

describe("consoleTail", () => {
  it("keeps the last lines without trailing blanks", () => {
    expect(consoleTail("a\nb\nc\n\n", 2)).toBe("b\nc");
  });
});
