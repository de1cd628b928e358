/**
 * A job's sandbox on the forge's runner: the directories its overlays need
 * (under the run's own directory, removed with the run) and what its policy
 * hides. Steps of one job share one copy of the root filesystem, as steps
 * of one GitHub job share a machine; the next job starts from the host's.
 */
import { mkdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { ForgeError } from "../errors.js";
import type { SandboxPolicy } from "./contract.js";
import { sandboxArgv, type Overlay, type SandboxLayout } from "./sandbox-args.js";

export interface JobSandbox {
  /** The command that runs `file args` in `cwd` inside this job's sandbox. */
  wrap(file: string, args: readonly string[], cwd: string): { file: string; args: string[] };
}

// The overlay mount options are a comma-separated list with `:` between lower layers.
const OPTION_UNSAFE = /[,:\\\n]/;

async function resolved(p: string, what: string): Promise<string | undefined> {
  if (!path.isAbsolute(p)) {
    throw new ForgeError("FORGE_SANDBOX_UNAVAILABLE", `${what} '${p}' is not an absolute path`);
  }
  return realpath(p).catch(() => undefined);
}

async function overlay(lower: string, dir: string): Promise<Overlay> {
  const o = {
    lower,
    upper: path.join(dir, "upper"),
    work: path.join(dir, "work"),
    merged: path.join(dir, "merged"),
  };
  for (const p of [o.lower, o.upper]) {
    if (OPTION_UNSAFE.test(p)) {
      throw new ForgeError(
        "FORGE_SANDBOX_UNAVAILABLE",
        `'${p}' cannot be an overlay layer (a ',', ':' or '\\' in the path)`,
      );
    }
  }
  for (const d of [o.upper, o.work, o.merged]) await mkdir(d, { recursive: true });
  return o;
}

/** Sets up the sandbox of the job whose directory is `jobDir`; `scratch` holds its overlays. */
export async function prepareSandbox(
  policy: SandboxPolicy,
  place: { jobDir: string; eventPath: string; scratch: string },
): Promise<JobSandbox> {
  const hiddenDirs: string[] = [];
  const hiddenFiles: string[] = [];
  for (const h of policy.hide) {
    const real = await resolved(h, "hidden path");
    // A path that does not exist yet hides nothing now; hide its name anyway if it appears.
    const s = real === undefined ? undefined : await stat(real);
    if (s?.isDirectory() ?? true) hiddenDirs.push(real ?? h);
    else hiddenFiles.push(real ?? h);
  }
  const caches: string[] = [];
  for (const c of policy.caches) {
    const real = await resolved(c, "cache");
    if (real !== undefined) caches.push(real);
  }
  const scratch = await realpath(await mkdirp(place.scratch));
  const layout: SandboxLayout = {
    root: await overlay("/", path.join(scratch, "root")),
    cacheOverlays: policy.trusted
      ? []
      : await Promise.all(
          caches.map((c, i) => overlay(c, path.join(scratch, `cache-${String(i)}`))),
        ),
    writableCaches: policy.trusted ? caches : [],
    hiddenDirs,
    hiddenFiles,
    jobDir: await realpath(place.jobDir),
    eventPath: await realpath(place.eventPath),
  };
  return { wrap: (file, args, cwd) => sandboxArgv(layout, file, args, cwd) };
}

async function mkdirp(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}
