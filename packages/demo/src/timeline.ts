/**
 * The demo's terminal timeline: one line per step with its duration and the
 * elapsed time, a spinner with the step's latest detail while it runs (on a
 * terminal), notes under the step, and a summary table at the end. Without
 * a terminal every line is plain text, written once.
 */
export interface StepResult {
  title: string;
  ok: boolean;
  seconds: number;
  /** Seconds since the demo started, when the step ended. */
  atSeconds: number;
  error?: string;
}

export interface StepHandle {
  /** What the step is doing now (the spinner's text; plain output prints it once). */
  detail(text: string): void;
  /** A line kept under the step (status output, URLs). */
  note(text: string): void;
}

export interface TimelineOutput {
  write(text: string): void;
  isTTY: boolean;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** `[  12.3s] ✓ title (4.5 s)` — pure. */
export function doneLine(r: StepResult): string {
  const mark = r.ok ? "✓" : "✗";
  const at = `[${r.atSeconds.toFixed(1).padStart(6)}s]`;
  const tail = r.ok ? "" : `: ${r.error ?? "failed"}`;
  return `${at} ${mark} ${r.title} (${r.seconds.toFixed(1)} s)${tail}`;
}

/** The summary table: every step, its duration and result, and the total. */
export function summaryTable(results: readonly StepResult[], totalSeconds: number): string[] {
  const width = Math.max(4, ...results.map((r) => r.title.length));
  const row = (a: string, b: string, c: string) => `  ${a.padEnd(width)}  ${b.padStart(8)}  ${c}`;
  return [
    row("step", "seconds", "result"),
    row("-".repeat(width), "-------", "------"),
    ...results.map((r) => row(r.title, r.seconds.toFixed(1), r.ok ? "ok" : "FAILED")),
    row("total", totalSeconds.toFixed(1), results.every((r) => r.ok) ? "ok" : "FAILED"),
  ];
}

export class Timeline {
  readonly results: StepResult[] = [];
  private readonly started = Date.now();

  constructor(private readonly out: TimelineOutput) {}

  elapsedMs(): number {
    return Date.now() - this.started;
  }

  /** Plain information between steps. */
  say(text: string): void {
    this.out.write(`${text}\n`);
  }

  async step<T>(title: string, fn: (h: StepHandle) => Promise<T>): Promise<T> {
    const t0 = Date.now();
    let detail = "";
    let frame = 0;
    const tty = this.out.isTTY;
    const render = () => {
      const spin = FRAMES[frame++ % FRAMES.length] ?? "-";
      const text = `${spin} ${title}${detail ? ` · ${detail}` : ""}  ${secs(Date.now() - t0)}`;
      this.out.write(`\r\u001b[2K${text.slice(0, 160)}`);
    };
    const clear = () => {
      if (tty) this.out.write("\r\u001b[2K");
    };
    if (!tty) this.out.write(`[${(this.elapsedMs() / 1000).toFixed(1).padStart(6)}s] … ${title}\n`);
    const timer = tty ? setInterval(render, 100) : undefined;
    const notes: string[] = [];
    const handle: StepHandle = {
      detail: (text) => {
        if (text === detail) return;
        detail = text;
        if (!tty) this.out.write(`           ${text}\n`);
      },
      note: (text) => {
        notes.push(text);
        if (!tty) this.out.write(`           ${text}\n`);
      },
    };
    const finish = (ok: boolean, error?: string): void => {
      if (timer) clearInterval(timer);
      clear();
      const r: StepResult = {
        title,
        ok,
        seconds: (Date.now() - t0) / 1000,
        atSeconds: this.elapsedMs() / 1000,
        ...(error !== undefined && { error }),
      };
      this.results.push(r);
      this.out.write(`${doneLine(r)}\n`);
      if (tty) for (const n of notes) this.out.write(`           ${n}\n`);
    };
    try {
      const value = await fn(handle);
      finish(true);
      return value;
    } catch (e) {
      finish(false, e instanceof Error ? e.message.split("\n")[0] : String(e));
      throw e;
    }
  }
}
