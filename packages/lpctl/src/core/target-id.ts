/**
 * The target id as a schema, apart from the build report: the manifest needs
 * it, and the host agent (which parses manifests, never build reports) should
 * not build the report's schemas at every start. zod/mini, like every schema
 * the agent builds at start (manifest.ts).
 */
import * as z from "./zod-mini.js";

/**
 * A target id checked like the repository's own (ids.ts: it becomes file
 * names and manifest entries), as a pattern so the JSON Schema says it too.
 */
export const TargetIdSchema = z
  .string()
  .check(
    z.regex(
      /^(?!.*\.\.)[a-z0-9][a-z0-9._-]{0,63}$/,
      "must be a target id: [a-z0-9][a-z0-9._-]*, at most 64 characters, no '..'",
    ),
  );
