/**
 * One harness for a whole test file: started before its first test, stopped
 * after its last, and reached through the returned stand-in (reads and
 * writes go to the harness once it runs).
 */
import { afterAll, beforeAll } from "vitest";

export function forFile<T extends { stop(): Promise<void> }>(start: () => Promise<T>): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  }, 120_000);
  afterAll(() => current?.stop());
  const live = (): T => {
    if (current === undefined) throw new Error("the harness is used before it started");
    return current;
  };
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(live(), key) as unknown,
    set: (_, key, value) => Reflect.set(live(), key, value),
  });
}
