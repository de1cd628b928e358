/** Evaluates workflow template tokens (`env:`, `with:`, `strategy:`, …) to JSON. */
import { ForgeError } from "../errors.js";
import { coerceString, evaluate, fromData, type Json, type Scope } from "./expressions.js";
import type { TemplateToken } from "./tokens.js";
import {
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
} from "./vendor/actions.mjs";

/** The JSON value of a token, its expressions evaluated in `scope`. */
export function evaluateToken(token: TemplateToken, scope: Scope): Json {
  if (isString(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isBasicExpression(token)) return fromData(evaluate(token.expression, scope));
  if (isSequence(token)) return [...token].map((item) => evaluateToken(item, scope));
  if (isMapping(token)) {
    const out: Record<string, Json> = {};
    for (const { key, value } of token)
      out[coerceString(evaluateToken(key, scope))] = evaluateToken(value, scope);
    return out;
  }
  if (token.isExpression) {
    throw new ForgeError(
      "WORKFLOW_UNSUPPORTED",
      `line ${token.line ?? "?"}: \${{ insert }} is not supported by the forge runner`,
    );
  }
  return null;
}

/** A token's value as a string (`run:`, `name:`, env and `with:` values). */
export function evaluateString(token: TemplateToken, scope: Scope): string {
  return coerceString(evaluateToken(token, scope));
}

/** A mapping token as string values (env, with); undefined stays empty. */
export function evaluateStringMap(
  token: TemplateToken | undefined,
  scope: Scope,
): Record<string, string> {
  if (token === undefined) return {};
  const value = evaluateToken(token, scope);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ForgeError("WORKFLOW_INVALID", `line ${token.line ?? "?"}: expected a mapping`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, coerceString(v)]));
}
