/**
 * Work the forge does after answering (webhook deliveries, workflow runs),
 * tracked so tests and `close()` can wait until it is all finished.
 */
export class Background {
  private readonly running = new Set<Promise<unknown>>();
  private readonly cancel = new AbortController();

  /** Aborted when the forge stops without waiting for workflow runs (their jobs get SIGTERM). */
  get runSignal(): AbortSignal {
    return this.cancel.signal;
  }

  cancelRuns(): void {
    this.cancel.abort();
  }

  /** Tracks `work`; its failure is reported to `onError`, never thrown at nobody. */
  track(work: Promise<unknown>, onError: (e: unknown) => void = () => undefined): void {
    const p = work.catch(onError).finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves when nothing is running, including work started while waiting. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
