/** Pure verification of signed manifests and detached signatures. */
export {
  manifestTooLarge,
  verifyManifest,
  type VerifyManifestInput,
  type VerifiedManifest,
} from "./verify-manifest.js";
export { verifyDetached, type DetachedResult } from "./verify-detached.js";
export { readTrustedKeys, fingerprintOf } from "./trusted-keys.js";
export {
  checkKernelBinding,
  checkRepository,
  checkRing,
  checkSameVersionSameBytes,
} from "./check-binding.js";
export { verifyKeyListStep } from "./verify-key-list.js";
export { followKeyLists, type KeyListReader } from "./follow-key-lists.js";
export { checkKeyVersion, keyVersionHint } from "./key-version.js";
