import { describe, expect, it } from "vitest";
import { hostEnv, inputsContext } from "../../../src/runner/contexts.js";

describe("run contexts", () => {
  it("types workflow_dispatch inputs over their declared defaults", () => {
    const declared = {
      dry: { type: "boolean", default: false },
      target: { type: "string", default: "all" },
    };
    const event = (inputs: Record<string, unknown>) => ({
      name: "workflow_dispatch" as const,
      branch: "main",
      payload: { inputs },
    });
    expect(inputsContext(declared, event({ dry: "true" }))).toEqual({ dry: true, target: "all" });
    expect(inputsContext(declared, event({ target: "x", extra: 3 }))).toEqual({
      dry: false,
      target: "x",
      extra: "3",
    });
    expect(inputsContext(undefined, { name: "push", branch: "main", payload: {} })).toEqual({});
  });

  it("passes steps nothing of the forge's environment but the basics", () => {
    expect(
      hostEnv({
        PATH: "/bin",
        HOME: "/root",
        LPCTL_APP_KEY: "k",
        GITHUB_TOKEN: "t",
        AWS_SECRET: "s",
      }),
    ).toEqual({
      PATH: "/bin",
      HOME: "/root",
    });
  });
});
