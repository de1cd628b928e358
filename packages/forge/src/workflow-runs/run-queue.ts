/**
 * Workflow runs execute one at a time, first in first out: the machines
 * this runs on have two cores, and a kernel build takes both. Each queued
 * run is tracked as background work, so `forge.waitIdle()` waits for it.
 */
import type { Background } from "../background.js";

export class RunQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly background: Background,
    private readonly log: (line: string) => void,
  ) {}

  push(work: () => Promise<void>): void {
    const next = this.tail.then(work).catch((e: unknown) => {
      this.log(`forge: workflow run failed: ${e instanceof Error ? e.message : String(e)}`);
    });
    this.tail = next;
    this.background.track(next);
  }
}
