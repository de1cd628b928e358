/** The forge's local Actions runner: what the forge calls, and the seam's types. */
export { workflowTriggers } from "./triggers.js";
export { runWorkflow } from "./run-workflow.js";
export type * from "./contract.js";
