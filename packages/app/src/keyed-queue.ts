/**
 * Runs tasks with the same key one after another (and different keys
 * concurrently). Two merges to one repository must not both read version N
 * and both publish N+1: the publisher's file lock does this for `lpctl
 * publish`, this does it inside the one app process.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task with `key` has settled. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    const result = before.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
