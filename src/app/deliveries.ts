/**
 * Deliveries this process has handled to the end. A redelivery (same
 * X-GitHub-Delivery) of one of them is skipped; one that failed runs again,
 * which is what a redelivery is for. The handlers are idempotent on their own
 * (lookups by name and head SHA), so a restart that forgets this set is safe.
 */
export class DeliveryLog {
  readonly #done = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  has(id: string): boolean {
    return this.#done.has(id);
  }

  add(id: string): void {
    this.#done.add(id);
    // Sets iterate in insertion order: drop the oldest.
    if (this.#done.size > this.capacity)
      this.#done.delete(this.#done.values().next().value as string);
  }
}
