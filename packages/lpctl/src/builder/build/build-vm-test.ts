/**
 * `lpctl build --vm-test`: after a successful build, boot the target's
 * pristine kernel in qemu with the new module and run the `test:` checks of
 * the patches in it (the same run `lpctl vm-test` does).
 */
import { join } from "node:path";
import type { BuiltModule } from "./build.js";
import { formatVmReport } from "../vm/format.js";
import { checksFromPatches } from "../vm/vm-test-inputs.js";
import { vmTestError } from "../vm/vm-test-report.js";
import { vmTest } from "../vm/vm-test.js";

export function vmTestAfterBuild(
  print: (line: string) => void,
): (built: BuiltModule) => Promise<void> {
  return async ({ modulePath, report, prepared, patches }) => {
    const result = await vmTest({
      bzImage: join(prepared.pristine, "bzImage"),
      module: modulePath,
      ...(report.module ? { moduleName: report.module.name } : {}),
      tests: checksFromPatches(patches),
    });
    for (const line of formatVmReport(result)) print(line);
    const err = vmTestError(result.steps, result.consoleTail);
    if (err !== undefined) throw err;
  };
}
