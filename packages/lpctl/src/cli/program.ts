import type { Command } from "commander";
import { baseProgram, type CommandContext } from "./base-program.js";
import { registerInstallUnits } from "./commands/install-units.js";
import { registerCheckConfig } from "./commands/check-config.js";
import { registerBuild } from "./commands/build.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerKeygen } from "./commands/keygen.js";
import { registerKeys } from "./commands/keys.js";
import { registerMirror } from "./commands/mirror.js";
import { registerPlan } from "./commands/plan.js";
import { registerPublish } from "./commands/publish.js";
import { registerRebuild } from "./commands/rebuild.js";
import { registerVerify } from "./commands/verify.js";
import { registerKernel } from "./commands/kernel.js";
import { registerLint } from "./commands/lint.js";
import { registerRevert } from "./commands/revert.js";
import { registerStatus } from "./commands/status.js";
import { registerSync } from "./commands/sync.js";
import { registerTarget } from "./commands/target.js";
import { registerValidate } from "./commands/validate.js";
import { registerVmTest } from "./commands/vm-test.js";
import type { Output } from "./output.js";

/** Builds the `lpctl` command tree. Each command lives in ./commands/<name>.ts. */
export function buildProgram(output: Output, setExit: (code: number) => void): Command {
  const program = baseProgram("GitOps for Linux kernel live patches", output);
  const ctx: CommandContext = { output, setExit };
  // Commands register themselves here, one line each.
  registerValidate(program, ctx);
  registerKernel(program, ctx);
  registerTarget(program, ctx);
  registerLint(program, ctx);
  registerDoctor(program, ctx);
  registerBuild(program, ctx);
  registerSync(program, ctx);
  registerStatus(program, ctx);
  registerRevert(program, ctx);
  registerInstallUnits(program, ctx);
  registerCheckConfig(program, ctx);
  registerVmTest(program, ctx);
  registerKeygen(program, ctx);
  registerKeys(program, ctx);
  registerPublish(program, ctx);
  registerVerify(program, ctx);
  registerRebuild(program, ctx);
  registerMirror(program, ctx);
  registerPlan(program, ctx);
  return program;
}

export type { CommandContext } from "./base-program.js";
