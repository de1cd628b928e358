/** The forge's public surface. */
export { startForge } from "./server.js";
export type * from "./types.js";
export type { ArtifactLie, Fault } from "./http/faults.js";
