/**
 * lpctl's version, as package.json gives it. The agent bundle has no
 * package.json beside it: the bundler bakes the version in (__LPCTL_VERSION__).
 */
import { readFileSync } from "node:fs";

declare const __LPCTL_VERSION__: string | undefined;

function fromPackageJson(): string {
  // packages/lpctl/src/cli or packages/lpctl/dist/cli → the package root.
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

export const LPCTL_VERSION: string =
  typeof __LPCTL_VERSION__ === "string" ? __LPCTL_VERSION__ : fromPackageJson();
