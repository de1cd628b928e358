/**
 * The infrastructure policy: a pull request that changes patches or targets
 * must not also change what builds or governs them. Everything under
 * `.github/` (the build workflow, and `livepatch.yml` naming the reviewers
 * and the trusted workflow path), the tool's sources and its dependencies
 * get their own, maintainer-reviewed PR, so a safety reviewer reading a
 * patch never signs off a build or reviewer change by accident.
 */
import { code } from "./markdown.js";

const CONTENT = [/^kernels\//, /^patches\//];
const INFRASTRUCTURE = [
  /^\.github\//,
  /^packages\//,
  /^scripts\//,
  /^package(?:-lock)?\.json$/,
  /^package[^/]*\.json$/,
];

export interface PolicyVerdict {
  ok: boolean;
  /** Infrastructure paths changed together with patches or targets. */
  offending: string[];
  summary: string;
}

/** The verdict for a PR changing `paths`. */
export function checkPolicy(paths: readonly string[]): PolicyVerdict {
  const content = paths.some((p) => CONTENT.some((re) => re.test(p)));
  const infra = paths.filter((p) => INFRASTRUCTURE.some((re) => re.test(p))).sort();
  if (!content || infra.length === 0)
    return {
      ok: true,
      offending: [],
      summary: content ? "only patches and targets change" : "no patch or target changes",
    };
  return {
    ok: false,
    offending: infra,
    // The paths are the PR's: shown as code (./markdown.ts).
    summary: `build infrastructure changes need their own maintainer-reviewed pull request: ${infra.map(code).join(", ")} change together with kernels/ or patches/`,
  };
}
