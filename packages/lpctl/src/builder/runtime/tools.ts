/** Locating the external tools the builder runs. */
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import type { Runner } from "./runner.js";

/** Where scripts/install-build-deps.sh unpacks Debian's kpatch-build. */
export const DEFAULT_KPATCH_DIR = "/opt/livepatch-gitops/tools/usr/bin";
export const INSTALL_HINT = "run: sudo bash scripts/install-build-deps.sh";

async function executable(p: string): Promise<boolean> {
  return access(p, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** First executable `name` on PATH, or undefined. */
export async function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && (await executable(join(dir, name)))) return join(dir, name);
  }
  return undefined;
}

/** $LPCTL_KPATCH_BUILD (must exist if set), then PATH, then the install-build-deps prefix. */
export async function findKpatchBuild(env: NodeJS.ProcessEnv): Promise<string> {
  const explicit = env.LPCTL_KPATCH_BUILD;
  if (explicit) {
    if (await executable(explicit)) return explicit;
    throw new LpctlError(
      "TOOL_MISSING",
      `LPCTL_KPATCH_BUILD=${explicit} is not an executable file; fix the variable or unset it`,
      { details: { tool: "kpatch-build" } },
    );
  }
  const onPath = await findOnPath("kpatch-build", env);
  if (onPath) return onPath;
  const fallback = join(DEFAULT_KPATCH_DIR, "kpatch-build");
  if (await executable(fallback)) return fallback;
  throw new LpctlError(
    "TOOL_MISSING",
    `kpatch-build not found (LPCTL_KPATCH_BUILD, PATH, ${DEFAULT_KPATCH_DIR}); ${INSTALL_HINT}`,
    {
      details: { tool: "kpatch-build" },
    },
  );
}

/** "0.9.9" from `kpatch-build --version` ("Version : 0.9.9"). */
export function parseKpatchVersion(text: string): string | undefined {
  return /Version\s*:\s*(\S+)/.exec(text)?.[1];
}

export async function kpatchBuildVersion(runner: Runner, path: string): Promise<string> {
  const r = await runner.run(path, ["--version"]);
  return parseKpatchVersion(r.stdout + r.stderr) ?? "unknown";
}
