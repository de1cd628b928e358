// @ts-check
/**
 * The workspace packages' boundaries, as ESLint's own no-restricted-imports
 * (no plugin to keep up to date; the rule sees every static import and
 * export). Two rules:
 * - a file reaches another package only through its name and `exports`
 *   (`@livepatch-gitops/<pkg>/...`), never by a relative path into it;
 * - a package's sources import only the packages it may depend on: the
 *   product (lpctl) and the forge stand alone, the app builds on the
 *   product, the demo on all three. Tests may also use their package's
 *   devDependencies (the forge, test-support).
 * test/unit/lint/boundaries.test.ts (root) checks that a crossing fails.
 */

const SCOPE = "@livepatch-gitops";
const PACKAGES = ["lpctl", "forge", "app", "demo", "test-support"];

/** What each package's src/ (and scripts/) may import from the others. */
export const ALLOWED = {
  lpctl: [],
  forge: [],
  app: ["lpctl"],
  demo: ["lpctl", "forge", "app"],
  "test-support": ["lpctl", "forge", "demo"],
};

/** A relative specifier that climbs out of `pkg` into another package. */
const relativeInto = (pkg) => ({
  regex: `^(\\.\\./)+(${PACKAGES.filter((p) => p !== pkg).join("|")})/`,
  message: `Import another workspace package by its name (${SCOPE}/<pkg>) and its exports, not by a relative path.`,
});

const byName = (pkg, allowed) => {
  const denied = PACKAGES.filter((p) => p !== pkg && !allowed.includes(p));
  return denied.length === 0
    ? []
    : [
        {
          regex: `^${SCOPE}/(${denied.join("|")})(/|$)`,
          message: `${pkg} must not depend on ${denied.join(", ")} (eslint.boundaries.js says what each package may use).`,
        },
      ];
};

export const packageBoundaries = [
  ...PACKAGES.flatMap((pkg) => [
    {
      files: [`packages/${pkg}/**/*.{ts,mts,js,mjs}`],
      rules: {
        "no-restricted-imports": ["error", { patterns: [relativeInto(pkg)] }],
      },
    },
    {
      files: [`packages/${pkg}/src/**/*.{ts,mts,js,mjs}`, `packages/${pkg}/scripts/**/*.{ts,mjs}`],
      rules: {
        "no-restricted-imports": [
          "error",
          { patterns: [relativeInto(pkg), ...byName(pkg, ALLOWED[pkg])] },
        ],
      },
    },
  ]),
  {
    // The root's own files (bench/, scripts/, test/, configs) use the packages by name.
    files: ["*.{ts,js,mjs}", "bench/**/*.{ts,mjs}", "scripts/**/*.mjs", "test/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^|/)packages/",
              message: `Import a workspace package by its name (${SCOPE}/<pkg>) and its exports.`,
            },
          ],
        },
      ],
    },
  },
];
