import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ForgeError } from "../errors.js";

/**
 * Reads one description file of an npm package that ships GitHub's OpenAPI
 * descriptions (`@octokit/openapi`, `@octokit/openapi-webhooks`).
 *
 * The file is read with fs + JSON.parse on purpose: the packages' own entry
 * points load every description they ship (for `@octokit/openapi` ten files,
 * ~6 s and ~900 MB), where one file parses in ~0.2 s.
 */
export function readDescription(pkg: string, file: string): Record<string, unknown> {
  const location = path.join(packageDir(pkg), "generated", file);
  let text: string;
  try {
    text = readFileSync(location, "utf8");
  } catch (cause) {
    throw new ForgeError(
      "CONFORMANCE_SPEC_UNAVAILABLE",
      `Cannot read GitHub's description ${location}; install the dev dependencies (npm ci).`,
      { cause, details: { file: location } },
    );
  }
  return JSON.parse(text) as Record<string, unknown>;
}

// The packages have no `exports` map, so their package.json resolves from
// here; resolving from this file (not the cwd) finds them in any test worker.
function packageDir(pkg: string): string {
  const require = createRequire(import.meta.url);
  try {
    return path.dirname(require.resolve(`${pkg}/package.json`));
  } catch (cause) {
    throw new ForgeError(
      "CONFORMANCE_SPEC_UNAVAILABLE",
      `The dev dependency ${pkg} is not installed; the forge's conformance checks need it (npm ci).`,
      { cause, details: { package: pkg } },
    );
  }
}
