/**
 * `.github/livepatch-rings.yml`: the rollout rings. The first ring gets
 * every merge; each later ring runs the first ring's content of one earlier
 * release (`release: N`, tag vN), moved forward by a reviewed pull request.
 * No file means no rings: hosts follow every release, as before rings.
 */
import { z } from "zod";
import { LpctlError } from "./errors.js";
import type { Problem } from "./problem.js";
import { RING_NAME } from "./ring-name.js";
import { fieldPath } from "./schema-issues.js";
import { parseYaml } from "./yaml-input.js";

export const RINGS_PATH = ".github/livepatch-rings.yml";

const RingSchema = z.strictObject({
  name: z.string().regex(RING_NAME, "must match [a-z][a-z0-9-]{0,31}"),
  /** The release (tag v<release>) whose first-ring content this ring runs. */
  release: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  /** A promotion's check fails until that release is this many hours old. */
  soakHours: z
    .number()
    .min(0)
    .max(24 * 366)
    .optional(),
});

export const RingsFileSchema = z.strictObject({
  rings: z.array(RingSchema).min(1).max(16),
});

export type Ring = z.infer<typeof RingSchema>;
export type RingsFile = z.infer<typeof RingsFileSchema>;

/** The problems of the rings file `text` (read from `file`), or its rings. */
export function checkRingsFile(
  file: string,
  text: string,
): { rings: RingsFile; problems: [] } | { rings?: undefined; problems: Problem[] } {
  const parsed = parseYaml(file, text);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const result = RingsFileSchema.safeParse(parsed.value);
  if (!result.success)
    return {
      problems: result.error.issues.map((i) => ({
        file,
        path: fieldPath(i.path),
        code: "RINGS_INVALID",
        message: i.message,
      })),
    };
  const problems = ringOrderProblems(file, result.data);
  return problems.length > 0 ? { problems } : { rings: result.data, problems: [] };
}

/** The rings in `text`, or a RINGS_INVALID error naming the first problem. */
export function parseRingsFile(file: string, text: string): RingsFile {
  const checked = checkRingsFile(file, text);
  const first = checked.problems[0];
  if (first)
    throw new LpctlError(
      "RINGS_INVALID",
      `${file}: ${first.path ? `${first.path}: ` : ""}${first.message}; fix the rings file (docs/operating-hosts.md, "Rings")`,
      { details: { problems: checked.problems } },
    );
  return checked.rings as RingsFile;
}

/** Names unique; only the first ring follows every release; no ring ahead of the ring before it. */
function ringOrderProblems(file: string, file_: RingsFile): Problem[] {
  const out: Problem[] = [];
  const problem = (i: number, field: string, message: string): void => {
    out.push({ file, path: `rings[${i}]${field}`, code: "RINGS_INVALID", message });
  };
  const seen = new Set<string>();
  file_.rings.forEach((ring, i) => {
    if (seen.has(ring.name)) problem(i, ".name", `ring '${ring.name}' is declared twice`);
    seen.add(ring.name);
    if (i === 0 && ring.release !== undefined)
      problem(i, ".release", "the first ring gets every release: it has no release");
    if (i > 0 && ring.release === undefined)
      problem(i, ".release", `ring '${ring.name}' needs the release it runs (release: N, tag vN)`);
    const before = file_.rings[i - 1]?.release;
    if (i > 1 && before !== undefined && ring.release !== undefined && ring.release > before)
      problem(
        i,
        ".release",
        `ring '${ring.name}' (v${ring.release}) is ahead of the ring before it, '${file_.rings[i - 1]?.name ?? "?"}' (v${before}); a later ring never runs newer content`,
      );
  });
  return out;
}

/** The rings after the first, with their release (checked present by the schema rules). */
export function laterRings(rings: RingsFile): { name: string; release: number }[] {
  return rings.rings.slice(1).map((r) => ({ name: r.name, release: r.release ?? 0 }));
}
