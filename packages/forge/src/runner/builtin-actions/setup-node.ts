/**
 * actions/setup-node, natively: nothing is downloaded; the runner's own Node
 * must already be the requested major, and its directory goes first on PATH.
 */
import path from "node:path";
import { ForgeError } from "../../errors.js";
import type { JobRuntime } from "../job-runtime.js";

export function setupNode(
  inputs: Record<string, string>,
  job: JobRuntime,
  node: { version: string; execPath: string } = process,
): Promise<void> {
  const wanted = (inputs["node-version"] ?? "").trim();
  const running = node.version.replace(/^v/, "");
  const major = /^v?(\d+)(?:\.(?:\d+|x)){0,2}$/.exec(wanted)?.[1];
  if (major === undefined) {
    throw new ForgeError(
      "ACTION_UNSUPPORTED",
      `actions/setup-node: node-version '${wanted}' is not supported by the forge runner (give a major version such as 20); it runs Node ${running}`,
    );
  }
  if (major !== running.split(".")[0]) {
    throw new ForgeError(
      "ACTION_FAILED",
      `actions/setup-node: node-version ${wanted} requested, but the forge runner runs Node ${running}`,
    );
  }
  const dir = path.dirname(node.execPath);
  job.path.unshift(dir);
  job.log.line(`using the runner's Node ${running} from ${dir}`);
  return Promise.resolve();
}
