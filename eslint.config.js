// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const BUILTIN_ERRORS =
  "/^(Error|TypeError|RangeError|SyntaxError|ReferenceError|EvalError|URIError|AggregateError)$/";

export default tseslint.config(
  {
    ignores: ["dist/", "node_modules/", "coverage/", ".cache/", "bench/results/", "test/fixtures/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-floating-promises": "error",
    },
  },
  {
    // Every error a user can meet is an LpctlError with a code (STYLE.md):
    // a plain Error would reach the CLI as INTERNAL, "unexpected error".
    files: ["src/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: `:matches(NewExpression, CallExpression)[callee.name=${BUILTIN_ERRORS}]`,
          message:
            "Throw an LpctlError with a code from src/core/errors.ts (translate library errors at the boundary, e.g. src/io/fs-errors.ts).",
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
