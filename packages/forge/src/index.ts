/** The forge's public surface. */
export { startForge } from "./server.js";
export type * from "./types.js";
export type { Fault } from "./http/faults.js";
