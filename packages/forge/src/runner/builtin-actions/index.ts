import type { JobRuntime } from "../job-runtime.js";
import { checkout } from "./checkout.js";
import { resolvePinnedAction, type NativeActionName } from "./pins.js";
import { setupNode } from "./setup-node.js";
import { uploadArtifact } from "./upload-artifact.js";

export type NativeAction = (inputs: Record<string, string>, job: JobRuntime) => Promise<void>;

const ACTIONS: Record<NativeActionName, NativeAction> = {
  checkout,
  "setup-node": (inputs, job) => setupNode(inputs, job),
  "upload-artifact": uploadArtifact,
};

/** The native implementation of a `uses:` (refuses anything not pinned). */
export function nativeAction(uses: string): NativeAction {
  return ACTIONS[resolvePinnedAction(uses)];
}
