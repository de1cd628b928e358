import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readCoverageRecords } from "../../../src/conformance/coverage-files.js";
import {
  expectConformant,
  expectWebhookConformant,
  forgeConformanceHooks,
  recordedCoverage,
  useForgeConformance,
  dumpForgeCoverage,
} from "@livepatch-gitops/test-support/forge-conformance";
import { release } from "./bodies.js";

const notFound = { message: "Not Found", documentation_url: "https://docs.github.com/rest" };
const THIS_FILE = "packages/forge/test/unit/conformance/helper.test.ts";

describe("forgeConformanceHooks", () => {
  it("answer mode returns the violation, for the forge to answer 502 with", () => {
    const hooks = forgeConformanceHooks("answer");
    const violation = hooks.onResponse({
      method: "GET",
      path: "/repos/o/r/releases/1",
      status: 200,
      body: {},
    });
    expect(violation).toMatch(/^repos\/get-release 200: \(body\) must have required property/);
    expect(hooks.violations).toHaveLength(1);
    expect(hooks.onWebhook("no_such_event", undefined, {})).toMatch(/no such event/);
  });

  it("record mode returns nothing and collects the violation with the test that caused it", () => {
    const hooks = forgeConformanceHooks("record");
    expect(
      hooks.onResponse({ method: "GET", path: "/repos/o/r/nope", status: 200, body: {} }),
    ).toBeUndefined();
    expect(hooks.violations).toEqual([
      `${THIS_FILE} > forgeConformanceHooks > record mode returns nothing and collects the violation with the test that caused it: GET /repos/o/r/nope: no such operation in GitHub's description ghes-3.19.json`,
    ]);
  });

  it("records what conforms, with its status and whether GitHub documents it", () => {
    const hooks = forgeConformanceHooks("answer");
    expect(
      hooks.onResponse({
        method: "get",
        path: "/api/v3/repos/o/r/releases/1",
        status: 404,
        body: notFound,
      }),
    ).toBeUndefined();
    expect(recordedCoverage()).toContainEqual({
      kind: "rest",
      operationId: "repos/get-release",
      method: "GET",
      template: "/repos/{owner}/{repo}/releases/{release_id}",
      status: 404,
      documented: false,
      test: `${THIS_FILE} > forgeConformanceHooks > records what conforms, with its status and whether GitHub documents it`,
    });
  });
});

describe("expectConformant", () => {
  it("returns the operation id of a conforming response and throws naming a violation", () => {
    expect(
      expectConformant({
        method: "GET",
        path: "/repos/o/r/releases/latest",
        status: 200,
        body: release(),
      }),
    ).toBe("repos/get-latest-release");
    expect(() =>
      expectConformant({
        method: "GET",
        path: "/repos/o/r/releases/latest",
        status: 200,
        body: {},
      }),
    ).toThrow(/REST response does not conform: repos\/get-latest-release 200/);
    expect(() => expectWebhookConformant("push", undefined, {})).toThrow(
      /webhook payload does not conform: webhook push:/,
    );
  });
});

describe("useForgeConformance", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "forge-coverage-"));
  const previous = process.env.LPCTL_FORGE_COVERAGE_DIR;
  process.env.LPCTL_FORGE_COVERAGE_DIR = dir;
  afterAll(() => {
    process.env.LPCTL_FORGE_COVERAGE_DIR = previous;
    rmSync(dir, { recursive: true, force: true });
  });

  describe("a forge test file", () => {
    const hooks = useForgeConformance();
    it("gets hooks that record, not answer", () => {
      expect(
        hooks.onResponse({
          method: "DELETE",
          path: "/repos/o/r/releases/1",
          status: 204,
          body: undefined,
        }),
      ).toBeUndefined();
    });
  });

  it("dumps the file's records (dumpForgeCoverage, after every file), for scripts/forge-coverage.mjs", () => {
    dumpForgeCoverage();
    const dumped = readCoverageRecords(dir);
    expect(dumped).toContainEqual(
      expect.objectContaining({
        operationId: "repos/delete-release",
        status: 204,
        test: `${THIS_FILE} > useForgeConformance > a forge test file > gets hooks that record, not answer`,
      }),
    );
  });
});
