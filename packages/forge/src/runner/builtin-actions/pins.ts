/**
 * The only `uses:` the forge runner runs: the exact pins of
 * .github/workflows/build.yml, each implemented natively. Any other action,
 * SHA, tag, docker:// or local action is refused, so drift in the workflow
 * fails loudly instead of running something untested.
 */
import { ForgeError } from "../../errors.js";

export type NativeActionName = "checkout" | "setup-node" | "upload-artifact";

export const PINNED_ACTIONS: Readonly<Record<string, NativeActionName>> = {
  "actions/checkout@11d5960a326750d5838078e36cf38b85af677262": "checkout", // v4.4.0
  "actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020": "setup-node", // v4.4.0
  "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02": "upload-artifact", // v4.6.2
};

/** The native implementation `uses` names, or ACTION_UNSUPPORTED naming the supported pins. */
export function resolvePinnedAction(uses: string): NativeActionName {
  const name = PINNED_ACTIONS[uses];
  if (name !== undefined) return name;
  throw new ForgeError(
    "ACTION_UNSUPPORTED",
    `uses: ${uses} is not supported by the forge runner; it runs only these pinned actions:\n${Object.keys(
      PINNED_ACTIONS,
    )
      .map((p) => `  ${p}`)
      .join("\n")}`,
    { details: { uses, supported: Object.keys(PINNED_ACTIONS) } },
  );
}
