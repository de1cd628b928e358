/** Ids of kernel targets and patches: safe as file names and shell words. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const ID_MAX_LENGTH = 64;

/** Why `id` is not a valid id, or undefined when it is. */
export function idProblem(id: string): string | undefined {
  if (id.length === 0) return "must not be empty";
  if (id.length > ID_MAX_LENGTH) return `must be at most ${ID_MAX_LENGTH} characters`;
  if (!ID_PATTERN.test(id)) return `'${id}' must match [a-z0-9][a-z0-9._-]*`;
  if (id.includes("..")) return `'${id}' must not contain '..'`;
  return undefined;
}

/** A GitHub repository, `owner/name`, as manifests, configs and build reports name it. */
export const REPOSITORY_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
