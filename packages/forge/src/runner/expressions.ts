/**
 * Expressions (`${{ … }}`, `if:`) evaluated with GitHub's own evaluator.
 * Contexts are plain JSON; the status functions, which the package leaves to
 * the runner, come from the scope.
 */
import { ForgeError } from "../errors.js";
import { data, Evaluator, Lexer, Parser, truthy } from "./vendor/actions.mjs";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Data = ReturnType<Evaluator["evaluate"]>;

/** What `success()`, `failure()` and `cancelled()` mean where the expression is evaluated. */
export interface StatusFunctions {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
}

export interface Scope {
  /** Context name (`github`, `env`, `matrix`, …) to its value. */
  contexts: Record<string, Json>;
  status: StatusFunctions;
}

const CONTEXTS = [
  "github",
  "env",
  "vars",
  "secrets",
  "inputs",
  "matrix",
  "strategy",
  "needs",
  "steps",
  "job",
  "jobs",
  "runner",
];

function statusFunctions(status: StatusFunctions) {
  const fn = (name: string, call: () => boolean) => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(call()),
  });
  return [
    fn("success", () => status.success()),
    fn("failure", () => status.failure()),
    fn("cancelled", () => status.cancelled()),
    fn("always", () => true),
  ];
}

/** JSON to the evaluator's data types. */
export function toData(value: Json): Data {
  return JSON.parse(JSON.stringify(value), data.reviver) as Data;
}

/** The evaluator's data types to JSON. */
export function fromData(value: Data): Json {
  return JSON.parse(JSON.stringify(value, data.replacer) ?? "null") as Json;
}

/** Evaluates one expression (without `${{ }}`). */
export function evaluate(expression: string, scope: Scope): Data {
  const functions = statusFunctions(scope.status);
  try {
    const tree = new Parser(new Lexer(expression).lex().tokens, CONTEXTS, functions).parse();
    const contexts = new data.Dictionary(
      ...Object.entries(scope.contexts).map(([key, value]) => ({ key, value: toData(value) })),
    );
    return new Evaluator(tree, contexts, new Map(functions.map((f) => [f.name, f]))).evaluate();
  } catch (e) {
    throw new ForgeError(
      "EXPRESSION_INVALID",
      `cannot evaluate \${{ ${expression} }}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
}

/** Evaluates an `if:` condition (the parser already added `success() &&` where needed). */
export function evaluateCondition(expression: string, scope: Scope): boolean {
  return truthy(evaluate(expression, scope));
}

/** A value as GitHub turns it into a string (env values, `run:` text, names). */
export function coerceString(value: Json): string {
  return toData(value).coerceString();
}

/** A flag that may come from an expression (`continue-on-error: ${{ matrix.x }}`). */
export function isTrue(value: Json): boolean {
  return value === true || value === "true";
}
