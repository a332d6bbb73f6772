import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The part of a better-sqlite3 handle the checkpointer needs (the package ships no types). */
export interface SqlitePragmaHandle {
  pragma(source: string): unknown;
}

export interface CheckpointerOptions {
  /** Absolute path of the database file (WAL mode). */
  file: string;
  /** The writer's connection: its automatic checkpoints are switched off while the worker runs. */
  writer: SqlitePragmaHandle;
  /** Pause between passive checkpoints in the worker (ms). */
  intervalMs?: number;
  /** Where the worker's errors go (after which the writer checkpoints by itself again). */
  onError?: (message: string) => void;
  /** The writer's `wal_autocheckpoint` when the worker is not running (default 1,000 pages, SQLite's own). */
  fallbackPages?: number;
  /** Module path of better-sqlite3 (tests pass a broken one). */
  driver?: string;
}

export interface CheckpointStats {
  /** Passive checkpoints the worker ran. */
  runs: number;
  /** WAL frames copied into the database file by them. */
  framesCopied: number;
}

/** SQLite's default: a checkpoint once the WAL holds 1,000 pages. */
const DEFAULT_AUTOCHECKPOINT = 1000;

/**
 * The worker: its own connection to the file, a `PRAGMA wal_checkpoint(PASSIVE)` every
 * `intervalMs` (copies what is committed, never waits for or blocks the writer or readers), and
 * one more at stop. Plain CommonJS, evaluated as the worker's source: the services are bundled,
 * and a separate file would have to be shipped next to each bundle.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
let timer = null;
let runs = 0;
let copied = 0;
let last = 0;
function checkpoint() {
  const [r] = db.pragma('wal_checkpoint(PASSIVE)');
  runs++;
  // "checkpointed" counts frames of the current WAL; it starts again after the writer restarts the log
  copied += r.checkpointed >= last ? r.checkpointed - last : r.checkpointed;
  last = r.checkpointed;
  parentPort.postMessage({ runs, framesCopied: copied });
}
function tick() {
  try { checkpoint(); } catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
  timer = setTimeout(tick, workerData.intervalMs);
}
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearTimeout(timer);
  try { checkpoint(); } catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
  db.close();
  parentPort.postMessage({ stopped: true });
  parentPort.close();
});
tick();
`;

/**
 * Runs SQLite's WAL checkpoints on a worker thread instead of inside the writer's commits.
 *
 * With automatic checkpoints, the commit that crosses the threshold copies the whole WAL into the
 * database file and fsyncs it, synchronously on the service's event loop: during a full sync of a
 * large tenant that was a handful of commits each blocking the loop for 0.6–1.2 s (rate-limiter
 * grants, HTTP answers and timers all waited). Here the writer never checkpoints; a worker with its
 * own connection runs passive checkpoints every `intervalMs`, and the writer restarts the WAL from
 * its beginning whenever a checkpoint has caught up. If the worker fails, the writer's automatic
 * checkpoints are switched back on.
 */
export class SqliteCheckpointer {
  private worker: Worker | null = null;
  private stopped: Promise<void> | null = null;
  private latest: CheckpointStats = { runs: 0, framesCopied: 0 };

  private constructor(private readonly options: CheckpointerOptions) {}

  static start(options: CheckpointerOptions): SqliteCheckpointer {
    const c = new SqliteCheckpointer(options);
    c.begin();
    return c;
  }

  get stats(): CheckpointStats {
    return { ...this.latest };
  }

  get running(): boolean {
    return this.worker !== null;
  }

  private begin(): void {
    const driver = this.options.driver ?? createRequire(__filename).resolve('better-sqlite3');
    this.options.writer.pragma('wal_autocheckpoint = 0');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.options.file, driver, intervalMs: this.options.intervalMs ?? 250 },
    });
    worker.unref();
    this.worker = worker;
    let done: () => void = () => undefined;
    this.stopped = new Promise<void>((res) => (done = res));
    const fail = (message: string): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.restoreWriter();
      this.options.onError?.(message);
      void worker.terminate().then(done, done);
    };
    worker.on('message', (m: { runs?: number; framesCopied?: number; error?: string; stopped?: boolean }) => {
      if (m.error !== undefined) fail(m.error);
      else if (m.runs !== undefined) this.latest = { runs: m.runs, framesCopied: m.framesCopied ?? 0 };
    });
    worker.on('error', (e) => fail(e.message));
    worker.on('exit', () => {
      if (this.worker === worker) fail('checkpoint worker exited');
      done();
    });
  }

  /** A last checkpoint, then the worker ends; the writer checkpoints by itself again. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return this.stopped ?? undefined;
    this.worker = null;
    worker.postMessage('stop');
    await this.stopped;
    this.restoreWriter();
  }

  private restoreWriter(): void {
    try {
      this.options.writer.pragma(`wal_autocheckpoint = ${this.options.fallbackPages ?? DEFAULT_AUTOCHECKPOINT}`);
    } catch {
      // the writer's connection is already closed: nothing left to checkpoint for
    }
  }
}
