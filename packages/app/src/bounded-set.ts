/** Ids remembered in memory, at most `capacity` of them: the oldest is forgotten first. */
export class BoundedSet {
  readonly #ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  add(id: string): void {
    this.#ids.add(id);
    // Sets iterate in insertion order: drop the oldest.
    if (this.#ids.size > this.capacity) this.#ids.delete(this.#ids.values().next().value as string);
  }
}
