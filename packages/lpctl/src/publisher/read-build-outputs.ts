/**
 * Reads what `lpctl build` left: `build-report.json` beside its module, in
 * each given directory or one level below it (CI artifacts unpack as one
 * directory per target).
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { BuildReportSchema, type BuildReport } from "../core/build-report.js";
import { LpctlError } from "../core/errors.js";
import { parseStrictJson } from "../core/strict-json.js";
import { fieldPath } from "../core/schema-issues.js";
import { fsStep } from "../io/fs-errors.js";

export interface BuildOutputs {
  reports: BuildReport[];
  /** Raw report bytes by target, published as build-report-<target>.json. */
  reportBytes: Map<string, Uint8Array>;
  /** Module bytes by file name. */
  modules: Map<string, Uint8Array>;
}

const REPORT = "build-report.json";
const MAX_REPORT_BYTES = 4 * 1024 * 1024;

/** Every report under `dirs` with its module; refuses failed builds and missing modules. */
export async function readBuildOutputs(dirs: readonly string[]): Promise<BuildOutputs> {
  const out: BuildOutputs = { reports: [], reportBytes: new Map(), modules: new Map() };
  for (const dir of dirs) {
    const found = await reportDirs(dir);
    if (found.length === 0) {
      throw new LpctlError(
        "FILE_MISSING",
        `no ${REPORT} in ${dir} or its subdirectories; pass the directories lpctl build wrote`,
      );
    }
    for (const d of found) await readOne(d, out);
  }
  return out;
}

async function reportDirs(dir: string): Promise<string[]> {
  if (await isFile(join(dir, REPORT))) return [dir];
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: unknown) => {
    throw new LpctlError("FILE_MISSING", `cannot read ${dir}: ${String(e)}`, { cause: e });
  });
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => join(dir, e.name))
    .sort();
  const withReport: string[] = [];
  for (const d of dirs) if (await isFile(join(d, REPORT))) withReport.push(d);
  return withReport;
}

async function readOne(dir: string, out: BuildOutputs): Promise<void> {
  const path = join(dir, REPORT);
  if ((await fsStep(`read ${path}`, () => stat(path))).size > MAX_REPORT_BYTES) {
    throw new LpctlError("FILE_TOO_LARGE", `${path} is larger than ${MAX_REPORT_BYTES} bytes`);
  }
  const bytes = new Uint8Array(await fsStep(`read ${path}`, () => readFile(path)));
  const codes = { malformed: "BUILD_REPORT_INVALID", duplicate: "BUILD_REPORT_INVALID" } as const;
  const parsed = BuildReportSchema.safeParse(parseStrictJson(bytes, path, codes));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LpctlError(
      "BUILD_REPORT_INVALID",
      `${path}: ${fieldPath(issue?.path ?? [])}: ${issue?.message ?? "invalid"}`,
    );
  }
  const report = parsed.data;
  if (report.result !== "success" || report.module === undefined) {
    throw new LpctlError(
      "BUILD_REPORT_INVALID",
      `${path}: the build for '${report.target}' failed; fix it before publishing (only successful builds are published)`,
    );
  }
  const module = await readFile(join(dir, report.module.file)).catch((e: unknown) => {
    throw new LpctlError(
      "FILE_MISSING",
      `${report.module?.file} is not next to ${path}: ${String(e)}`,
      { cause: e },
    );
  });
  out.reports.push(report);
  out.reportBytes.set(report.target, bytes);
  out.modules.set(report.module.file, new Uint8Array(module));
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
