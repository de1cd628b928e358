/** Every lint rule, in the order their findings are produced (output is sorted anyway). */
import type { Rule } from "./rule.js";
import { includeAdded, newExportedSymbol, onceMacro } from "./rules/added-constructs.js";
import { jumpLabelOrStaticCall } from "./rules/jump-label.js";
import { contextUnknown } from "./rules/context-unknown.js";
import { dataStructureChange } from "./rules/data-structure.js";
import { functionRemoved } from "./rules/function-removed.js";
import { initCode } from "./rules/init-code.js";
import { inlineFunctionChange } from "./rules/inline-function.js";
import { headerChange, unsupportedPath } from "./rules/paths.js";
import { signatureChange } from "./rules/signature.js";
import { staticInitializerChange } from "./rules/static-initializer.js";
import { staticLocalRemoved } from "./rules/static-local.js";
import { syscallDefine } from "./rules/syscall.js";
import { untraceableFunction } from "./rules/untraceable.js";
import { neverReturns } from "./rules/never-returns.js";
import { weakOverridden } from "./rules/weak-overridden.js";
import { noFunctionalChange } from "./rules/no-functional-change.js";

export const RULES: readonly Rule[] = [
  unsupportedPath,
  headerChange,
  initCode,
  dataStructureChange,
  staticInitializerChange,
  signatureChange,
  inlineFunctionChange,
  untraceableFunction,
  staticLocalRemoved,
  onceMacro,
  jumpLabelOrStaticCall,
  syscallDefine,
  functionRemoved,
  newExportedSymbol,
  includeAdded,
  contextUnknown,
  neverReturns,
  weakOverridden,
  noFunctionalChange,
];
