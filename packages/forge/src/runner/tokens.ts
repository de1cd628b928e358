/**
 * Types of GitHub's workflow template tokens, and small readers over them.
 * Type-only imports: at run time the classes come from vendor/actions.mjs.
 */
import type { MappingToken, TemplateToken } from "@actions/workflow-parser/templates/tokens/index";
import { isMapping } from "./vendor/actions.mjs";

export type {
  BasicExpressionToken,
  MappingToken,
  ScalarToken,
  SequenceToken,
  StringToken,
  TemplateToken,
} from "@actions/workflow-parser/templates/tokens/index";
export type {
  ActionStep,
  EventsConfig,
  Job,
  RunStep,
  Step,
  WorkflowTemplate,
} from "@actions/workflow-parser/model/workflow-template";

/** The value of `key` in a mapping token (keys are literal in workflow files). */
export function member(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (token === undefined || !isMapping(token)) return undefined;
  return token.find(key);
}

/** `member`, when the value must be a mapping. */
export function mappingMember(
  token: TemplateToken | undefined,
  key: string,
): MappingToken | undefined {
  const value = member(token, key);
  return value !== undefined && isMapping(value) ? value : undefined;
}
