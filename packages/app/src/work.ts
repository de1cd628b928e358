/**
 * Webhook work that runs after the delivery is answered. GitHub gives a
 * receiver 10 seconds and asks for a quick answer with the work queued
 * (Probot answers 202 at 9 s and goes on anyway); a receiver that answers
 * only when its handler is done also holds up every delivery queued behind
 * it. Work with the same key (one pull request) runs in arrival order, so an
 * `opened` and the `synchronize` right after it do not interleave their
 * check-run lookups and writes.
 */
import { KeyedQueue } from "./keyed-queue.js";

export class Work {
  readonly #queue = new KeyedQueue();
  readonly #running = new Set<Promise<unknown>>();

  /** Starts `task` after earlier work with `key`; the returned promise settles with it. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const p = this.#queue.run(key, task);
    const tracked = p.catch(() => undefined);
    this.#running.add(tracked);
    void tracked.then(() => this.#running.delete(tracked));
    return p;
  }

  /** How many tasks are queued or running. */
  get size(): number {
    return this.#running.size;
  }

  /** Resolves once no work is queued or running (work started meanwhile included). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }
}
