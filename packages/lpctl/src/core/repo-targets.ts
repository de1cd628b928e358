/** Checks one `kernels/<id>/` directory: target.yaml and the config file it names. */
import { checkConfigLines } from "./kconfig-lines.js";
import type { Problem } from "./problem.js";
import type { ItemDir } from "./repo-model.js";
import { sizeLimitFor, tooLargeMessage } from "./repo-snapshot.js";
import { readYamlEntry } from "./repo-yaml.js";
import { zodProblems } from "./schema-issues.js";
import { TargetSchema, type KernelTarget } from "./target.js";

/** The target in `item`, or undefined after pushing its problems. */
export function checkTargetDir(item: ItemDir, problems: Problem[]): KernelTarget | undefined {
  const file = `${item.dir}/target.yaml`;
  const value = readYamlEntry(file, item.files.get("target.yaml"), problems);
  if (value === undefined) return undefined;
  const parsed = TargetSchema.safeParse(value);
  if (!parsed.success) {
    problems.push(...zodProblems(file, parsed.error));
    return undefined;
  }
  const spec = parsed.data;
  const target: KernelTarget = { id: item.id, ...spec };
  // A distro target (image:) has no config file: its headers package has Debian's.
  if (spec.config === undefined) return target;
  const configName = "file" in spec.config ? spec.config.file : spec.config.fragment;
  if (configName === undefined) return target;
  const fieldPath = "file" in spec.config ? "config.file" : "config.fragment";
  const configFile = `${item.dir}/${configName}`;
  const entry = item.files.get(configName);
  if (entry === undefined) {
    problems.push({
      file,
      path: fieldPath,
      code: "FILE_MISSING",
      message: `${configFile} does not exist`,
    });
    return undefined;
  }
  if (entry.text === undefined) {
    const limit = sizeLimitFor(configFile);
    const tooLarge = entry.size > limit;
    problems.push({
      file: configFile,
      path: "",
      code: tooLarge ? "FILE_TOO_LARGE" : "SCHEMA_INVALID",
      message: tooLarge
        ? tooLargeMessage(entry.size, limit)
        : "is a binary file, not a kernel config",
    });
    return undefined;
  }
  const configProblems = checkConfigLines(configFile, entry.text);
  if (configProblems.length > 0) {
    problems.push(...configProblems);
    return undefined;
  }
  target.configText = entry.text;
  return target;
}
