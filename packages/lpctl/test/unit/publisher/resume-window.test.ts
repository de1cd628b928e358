import { describe, expect, it } from "vitest";
import { checkResumeWindow } from "../../../src/publisher/resume-window.js";
import { sampleManifest } from "@livepatch-gitops/test-support/test-keys";

const NOW = new Date("2026-11-21T12:00:00Z");
const rules = { version: 7, now: NOW, lifetimeDays: 14 };
const at = (issued: string, expires: string, version = 7) =>
  sampleManifest({ issued, expires, version });

describe("checkResumeWindow", () => {
  it("resumes a window this run could have chosen", () => {
    const m = at("2026-11-20T12:00:00.000Z", "2026-12-04T12:00:00.000Z");
    expect(checkResumeWindow(m, "v7/x", rules)).toEqual({ issued: m.issued, expires: m.expires });
  });

  it.each([
    ["another version", at("2026-11-20T12:00:00Z", "2026-12-04T12:00:00Z", 6), /version 6/],
    ["issued after now", at("2026-11-22T12:00:00Z", "2026-11-30T12:00:00Z"), /issued after now/],
    ["longer than the lifetime", at("2026-11-20T12:00:00Z", "2999-01-01T00:00:00Z"), /lifetime/],
    ["expired", at("2026-11-01T12:00:00Z", "2026-11-10T12:00:00Z"), /expired/],
  ])("refuses %s", (_name, m, message) => {
    expect(() => checkResumeWindow(m, "v7/x", rules)).toThrow(message);
  });
});
