import { describe, expect, it } from "vitest";
import { linesOf, parseMarkers } from "../../../../src/builder/vm/markers.js";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

describe("parseMarkers", () => {
  it("reads steps, outputs and the end marker amid console chatter", () => {
    const m = parseMarkers(
      linesOf(
        [
          "Booting from ROM...",
          "@@LP step boot ok 6.1.192\r",
          `@@LP out before-t0 ${b64("BOOT_IMAGE x\nlivepatched ✓")}`,
          "Invalid ELF header len 24",
          "@@LP step insmod fail insmod: can't insert '/lp/module.ko': invalid module format",
          "@@LP end",
        ].join("\n"),
      ),
    );
    expect(m.steps).toEqual([
      { name: "boot", ok: true, detail: "6.1.192" },
      {
        name: "insmod",
        ok: false,
        detail: "insmod: can't insert '/lp/module.ko': invalid module format",
      },
    ]);
    expect(m.outputs.get("before-t0")?.text).toBe("BOOT_IMAGE x\nlivepatched ✓");
    expect(m.ended).toBe(true);
    expect(m.malformed).toEqual([]);
  });

  it("finds a marker behind a kernel message printed on the same line", () => {
    const m = parseMarkers([
      { text: "livepatch: enabling patch 'x'@@LP step transition ok 3 polls", atMs: 1200 },
    ]);
    expect(m.steps).toEqual([{ name: "transition", ok: true, detail: "3 polls", atMs: 1200 }]);
  });

  it("keeps an empty output", () => {
    expect(parseMarkers(linesOf("@@LP out unloaded-t0 ")).outputs.get("unloaded-t0")?.text).toBe(
      "",
    );
  });

  it("reports malformed markers instead of guessing", () => {
    const m = parseMarkers(
      linesOf("@@LP step boot maybe\n@@LP out x not*base64\n@@LP end now\n@@LP bogus"),
    );
    expect(m.steps).toEqual([]);
    expect(m.outputs.size).toBe(0);
    expect(m.ended).toBe(false);
    expect(m.malformed).toHaveLength(4);
  });

  it("ignores text that only looks similar", () => {
    const m = parseMarkers(linesOf("@@LPstep boot ok\nsomething @@ LP end"));
    expect(m).toEqual({ steps: [], outputs: new Map(), ended: false, malformed: [] });
  });
});
