import type { Output } from "./output.js";
import { buildProgram } from "./program.js";
import { runProgram } from "./run-program.js";

/** Runs lpctl with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: string[], output: Output): Promise<number> {
  return runProgram((setExit) => buildProgram(output, setExit), argv, output);
}
