import path from "node:path";

/** The checkout's root (this file is packages/test-support/src/repo-root.ts). */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
