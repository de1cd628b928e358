/**
 * What a pull request may do to the rings file, beyond being valid: every
 * later ring names a release the publisher signed, no ring moves back to
 * an older release, and a ring whose release changes waits until that
 * release has been out for its soakHours. Pure: the caller looks the
 * releases up (verified) and passes one reference time.
 */
import type { Problem } from "./problem.js";
import { RINGS_PATH, type RingsFile } from "./rings.js";

export interface PromotionInput {
  /** The rings in effect now (the default branch), if any. */
  before?: RingsFile;
  after: RingsFile;
  /** When each named release was issued (its signed manifest's `issued`); absent: not ours. */
  issued: ReadonlyMap<number, string>;
  now: Date;
}

export interface PromotionVerdict {
  problems: Problem[];
  /** The earliest time a soaking ring may be promoted, when that is the only reason left. */
  soakUntil?: Date;
}

const HOUR_MS = 3_600_000;

/** The problems of moving from `input.before` to `input.after`. */
export function checkPromotion(input: PromotionInput): PromotionVerdict {
  const problems: Problem[] = [];
  let soakUntil: Date | undefined;
  const was = new Map((input.before?.rings ?? []).map((r) => [r.name, r.release]));
  input.after.rings.forEach((ring, i) => {
    if (ring.release === undefined) return;
    const path = `rings[${i}].release`;
    const add = (code: Problem["code"], message: string): void => {
      problems.push({ file: RINGS_PATH, path, code, message });
    };
    const issued = input.issued.get(ring.release);
    if (issued === undefined) {
      add(
        "RING_RELEASE_UNKNOWN",
        `ring '${ring.name}' names v${ring.release}, which is not a release this repository's publisher signed; name one of its releases`,
      );
      return;
    }
    const before = was.get(ring.name);
    // rollback: a ring only moves forward; taking a module back out is a withdrawal, not a ring move.
    if (before !== undefined && ring.release < before) {
      add(
        "RING_MOVED_BACK",
        `ring '${ring.name}' moves back from v${before} to v${ring.release}; rings only move forward`,
      );
      return;
    }
    if (before === ring.release || ring.soakHours === undefined) return;
    const until = new Date(Date.parse(issued) + ring.soakHours * HOUR_MS);
    if (until.getTime() > input.now.getTime()) {
      add(
        "RING_SOAKING",
        `v${ring.release} was released at ${issued}; ring '${ring.name}' needs it out for ${ring.soakHours} h, until ${until.toISOString()}`,
      );
      if (soakUntil === undefined || until > soakUntil) soakUntil = until;
    }
  });
  const onlySoak = problems.every((p) => p.code === "RING_SOAKING");
  return { problems, ...(soakUntil && onlySoak ? { soakUntil } : {}) };
}
