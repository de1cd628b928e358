/**
 * The forge's state: named tables of rows with sequential numeric ids, held
 * in memory and persisted to `<dataDir>/state.json` with an atomic replace
 * (temp file, rename: write-file-atomic), so a killed forge restarts from the
 * last committed state and never from a torn file. Commits are grouped:
 * every change made before a write starts is carried by that write.
 *
 * Mutate only through `insert`/`update`/`remove` (they mark the state dirty);
 * the server commits after every mutating request, and background work
 * (deliveries, runs) calls `commit()` itself.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ForgeError } from "../errors.js";
import writeFileAtomic from "write-file-atomic";

export interface Row {
  id: number;
}

interface TableData {
  next: number;
  rows: Row[];
}

interface StateFile {
  version: 1;
  tables: Record<string, TableData>;
}

export class Table<T extends Row> {
  constructor(
    private readonly data: TableData,
    private readonly touch: () => void,
  ) {}

  get(id: number): T | undefined {
    return (this.data.rows as T[]).find((r) => r.id === id);
  }

  all(): T[] {
    return [...(this.data.rows as T[])];
  }

  find(pred: (row: T) => boolean): T | undefined {
    return (this.data.rows as T[]).find(pred);
  }

  filter(pred: (row: T) => boolean): T[] {
    return (this.data.rows as T[]).filter(pred);
  }

  /** Adds a row under the next id of this table. */
  insert(fields: Omit<T, "id">): T {
    const row = { ...fields, id: this.data.next } as T;
    this.data.next += 1;
    this.data.rows.push(row);
    this.touch();
    return row;
  }

  /** Merges `patch` into the row and returns it (undefined for an unknown id). */
  update(id: number, patch: Partial<Omit<T, "id">>): T | undefined {
    const row = this.get(id);
    if (!row) return undefined;
    Object.assign(row, patch);
    this.touch();
    return row;
  }

  remove(id: number): boolean {
    const before = this.data.rows.length;
    this.data.rows = this.data.rows.filter((r) => r.id !== id);
    this.touch();
    return this.data.rows.length !== before;
  }
}

export class Store {
  private version = 0;
  private persisted = 0;
  private pending: Promise<void> | null = null;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly state: StateFile,
  ) {}

  static async open(dir: string): Promise<Store> {
    await mkdir(dir, { recursive: true });
    const file = join(dir, "state.json");
    let state: StateFile = { version: 1, tables: {} };
    try {
      state = JSON.parse(await readFile(file, "utf8")) as StateFile;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new ForgeError("FORGE_STATE_INVALID", `cannot read forge state ${file}`, {
          cause: e,
        });
      }
    }
    return new Store(dir, state);
  }

  table<T extends Row>(name: string): Table<T> {
    const data = (this.state.tables[name] ??= { next: 1, rows: [] });
    return new Table<T>(data, () => this.touch());
  }

  /** Marks the state changed (for code that edited a row in place). */
  touch(): void {
    this.version += 1;
  }

  /** Persists every change made so far; resolves once it is durable. */
  commit(): Promise<void> {
    if (this.pending) return this.pending;
    if (this.version === this.persisted) return this.writing;
    this.pending = this.writing.then(async () => {
      this.pending = null;
      const version = this.version;
      if (version === this.persisted) return;
      const text = JSON.stringify(this.state);
      // No fsync per request: the rename keeps state whole when the forge is
      // killed (the promise this store makes); surviving a power loss is not
      // worth ~25 ms on every write of a development server.
      await writeFileAtomic(join(this.dir, "state.json"), text, { mode: 0o600, fsync: false });
      this.persisted = Math.max(this.persisted, version);
    });
    this.writing = this.pending.catch(() => undefined);
    return this.pending;
  }
}
