import { beforeAll, describe, expect, it } from "vitest";
import { asObject } from "../../../src/conformance/json.js";
import { createRestConformance, type RestConformance } from "../../../src/conformance/rest.js";
import { readDescription } from "../../../src/conformance/spec-files.js";

// GitHub's own embedded examples for operations the forge implements. Not
// ground truth in general (210 of 996 fail their schema), but these do pass,
// so a failure here is a bug in the conversion or the path matching.
const OPERATIONS = [
  { operationId: "checks/create", method: "POST", path: "/repos/o/r/check-runs", status: 201 },
  { operationId: "repos/create-release", method: "POST", path: "/repos/o/r/releases", status: 201 },
  {
    operationId: "repos/upload-release-asset",
    method: "POST",
    path: "/api/uploads/repos/o/r/releases/1/assets?name=a.zip",
    status: 201,
  },
  { operationId: "pulls/list-files", method: "GET", path: "/repos/o/r/pulls/1/files", status: 200 },
  {
    operationId: "actions/get-workflow-run",
    method: "GET",
    path: "/repos/o/r/actions/runs/30433642",
    status: 200,
  },
] as const;

let conformance: RestConformance;
let examples: (operationId: string, status: number) => [string, unknown][];
beforeAll(() => {
  conformance = createRestConformance();
  const document = readDescription("@octokit/openapi", "ghes-3.19.json");
  examples = (operationId, status) => embeddedExamples(document, operationId, status);
});

describe("GitHub's embedded examples", () => {
  it.each(OPERATIONS)("$operationId $status validates", ({ operationId, method, path, status }) => {
    const found = examples(operationId, status);
    expect(found.length).toBeGreaterThan(0);
    for (const [name, value] of found) {
      expect({ name, ...conformance.check(method, path, status, value) }).toEqual({
        name,
        operationId,
        template: expect.any(String) as unknown,
      });
    }
  });

  it("include a completed check run and one in progress with conclusion null, both accepted", () => {
    const found = examples("checks/create", 201).map(([, value]) => asObject(value).conclusion);
    expect(found).toContain(null);
    expect(found.some((c) => typeof c === "string")).toBe(true);
  });
});

function embeddedExamples(document: Record<string, unknown>, operationId: string, status: number) {
  const components = asObject(asObject(document.components).examples);
  for (const item of Object.values(asObject(document.paths))) {
    for (const op of Object.values(asObject(item)).map(asObject)) {
      if (op.operationId !== operationId) continue;
      const response = asObject(asObject(op.responses)[String(status)]);
      const media = asObject(asObject(response.content)["application/json"]);
      return Object.entries(asObject(media.examples)).map(([name, example]): [string, unknown] => {
        const ref = asObject(example).$ref;
        const resolved =
          typeof ref === "string"
            ? asObject(components[ref.split("/").pop() ?? ""])
            : asObject(example);
        return [name, resolved.value];
      });
    }
  }
  return [];
}
