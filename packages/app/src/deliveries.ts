import { BoundedSet } from "./bounded-set.js";

/**
 * Deliveries this process has handled to the end. A redelivery (same
 * X-GitHub-Delivery) of one of them is skipped; one that failed runs again,
 * which is what a redelivery is for. The handlers are idempotent on their own
 * (lookups by name and head SHA), so a restart that forgets this set is safe.
 */
export class DeliveryLog extends BoundedSet {}

/**
 * replay: the webhook signature covers the body, not the delivery id, so a
 * captured delivery sent again under a new X-GitHub-Delivery passes the
 * signature check. Each payload's digest is remembered with the delivery
 * that brought it, for `windowMs`: the same payload under another delivery
 * id within the window is a replay. (A redelivery keeps its id and passes.)
 * The window is shorter than the six-hourly refresh dispatch, whose
 * payloads can be byte-identical; after it, the handlers' own idempotence
 * is what a replay meets.
 */
export class PayloadLog {
  readonly #first = new Map<string, { id: string; at: number }>();

  constructor(
    private readonly windowMs = 60 * 60_000,
    private readonly capacity = 10_000,
  ) {}

  /** The other delivery that brought `digest` within the window, or undefined (and `id` is remembered). */
  replayOf(digest: string, id: string, now: number): string | undefined {
    const seen = this.#first.get(digest);
    if (seen !== undefined && now - seen.at < this.windowMs)
      return seen.id === id ? undefined : seen.id;
    this.#first.delete(digest);
    this.#first.set(digest, { id, at: now });
    if (this.#first.size > this.capacity)
      this.#first.delete(this.#first.keys().next().value as string);
    return undefined;
  }
}
