/**
 * A job's log file, written as GitHub's runner writes it: every line
 * timestamped, each step inside a `##[group]` … `##[endgroup]` header.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import type { Readable } from "node:stream";
import { createInterface } from "node:readline";

export class JobLog {
  private readonly out: WriteStream;

  constructor(
    readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.out = createWriteStream(file, { flags: "a" });
  }

  line(text: string): void {
    for (const l of text.split("\n")) this.out.write(`${this.now().toISOString()} ${l}\n`);
  }

  group(title: string): void {
    this.line(`##[group]${title}`);
  }

  endGroup(): void {
    this.line("##[endgroup]");
  }

  error(text: string): void {
    this.line(`##[error]${text}`);
  }

  warning(text: string): void {
    this.line(`##[warning]${text}`);
  }

  /** Copies a stream into the log line by line, until it ends. */
  async follow(stream: Readable): Promise<void> {
    for await (const l of createInterface({ input: stream, crlfDelay: Infinity })) this.line(l);
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, "finish");
  }
}
