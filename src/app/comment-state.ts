/**
 * The PR comment's sections as the app last wrote them, per pull request:
 * the source the comment is rendered from. A collaborator can edit the
 * comment but not this, so an edit (a planted "Release" section, a link) is
 * overwritten by the next update. It lives in the process: after a restart a
 * comment shows the sections written since (the check runs keep the rest).
 */
import type { Section, Sections } from "./comment.js";

export class CommentState {
  readonly #byPull = new Map<string, Sections>();

  constructor(private readonly capacity = 10_000) {}

  /** The sections of `pull` (`owner/repo#n`) with `updates` applied; remembered. */
  update(pull: string, updates: Sections): Sections {
    const next: Sections = { ...this.#byPull.get(pull) };
    for (const [s, text] of Object.entries(updates) as [Section, string][]) next[s] = text;
    // Re-inserted so the least recently written pull request is dropped first.
    this.#byPull.delete(pull);
    this.#byPull.set(pull, next);
    if (this.#byPull.size > this.capacity)
      this.#byPull.delete(this.#byPull.keys().next().value as string);
    return next;
  }
}
