// Types for render-results.mjs, for the TypeScript unit test.

/** What bench/results/run-all.json records about a benchmark's last run by run-all. */
export interface RunRecord {
  /** ISO date the run ended. */
  date: string;
  seconds?: number;
  exitCode: number | null;
  signal?: string;
  error?: string;
}

export interface Host {
  cpus: number;
  model: string;
  node: string;
  kernel: string;
  loadAverage: number[];
}

export interface RenderInput {
  /** Parsed bench/results/*.json by file name ("lint.json"); absent: never measured. */
  results: Record<string, unknown>;
  /** Benchmark name → its last run by run-all. */
  runs?: Record<string, RunRecord>;
  host: Host;
  /** ISO date of the rendering. */
  now: string;
}

export function renderResults(input: RenderInput): string;
export function shortDate(iso: unknown): string;
export function failure(run: RunRecord | undefined): string | undefined;
export function machineOf(doc: unknown): {
  cpus?: number;
  model?: string;
  node?: string;
  kernel?: string;
  load?: string;
};
