/**
 * Runs named tasks one after another; a task already waiting to run is not queued twice. Errors
 * are reported, never thrown, so one failed round does not stop the lane.
 */
export class WorkLane {
  private tail: Promise<void> = Promise.resolve();
  private readonly waiting = new Set<string>();
  private closed = false;
  private busy = 0;

  constructor(private readonly onError: (task: string, error: unknown) => void) {}

  run(name: string, task: () => Promise<void>): void {
    if (this.closed || this.waiting.has(name)) return;
    this.waiting.add(name);
    this.busy++;
    this.tail = this.tail.then(async () => {
      this.waiting.delete(name);
      try {
        if (!this.closed) await task();
      } catch (e) {
        this.onError(name, e);
      } finally {
        this.busy--;
      }
    });
  }

  isIdle(): boolean {
    return this.busy === 0;
  }

  /** Resolves when nothing is running or waiting. */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.tail;
      await seen;
    } while (seen !== this.tail);
  }

  /** Refuses new tasks and drops waiting ones; resolves when the running one has finished. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  open(): void {
    this.closed = false;
  }
}
