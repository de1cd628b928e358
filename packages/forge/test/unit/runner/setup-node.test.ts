import { describe, expect, it } from "vitest";
import { setupNode } from "../../../src/runner/builtin-actions/setup-node.js";
import type { JobRuntime } from "../../../src/runner/job-runtime.js";

function job(): { rt: JobRuntime; lines: string[] } {
  const lines: string[] = [];
  const rt = {
    path: ["/earlier"],
    log: { line: (l: string) => lines.push(l) },
  } as unknown as JobRuntime;
  return { rt, lines };
}
const node = { version: "v20.19.3", execPath: "/opt/node/bin/node" };

describe("actions/setup-node (native)", () => {
  it.each(["20", "20.x", "20.19", "v20.19.3"])(
    "accepts node-version %s on Node 20, node's dir first on PATH",
    async (v) => {
      const { rt, lines } = job();
      await setupNode({ "node-version": v }, rt, node);
      expect(rt.path).toEqual(["/opt/node/bin", "/earlier"]);
      expect(lines).toEqual(["using the runner's Node 20.19.3 from /opt/node/bin"]);
    },
  );

  it("fails naming both versions when the major differs", () => {
    expect(() => setupNode({ "node-version": "22" }, job().rt, node)).toThrow(
      "actions/setup-node: node-version 22 requested, but the forge runner runs Node 20.19.3",
    );
  });

  it.each(["", "lts/*", "node", ">=20"])("refuses node-version '%s' it cannot check", (v) => {
    expect(() => setupNode({ "node-version": v }, job().rt, node)).toThrow(
      /is not supported by the forge runner/,
    );
  });
});
