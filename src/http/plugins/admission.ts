import { HttpProblem } from '../problem.js';

/**
 * Admission control for heavy work (reports, exports): at most `limit` run at once, at most
 * `queueLength` wait for a turn, none waits longer than `maxWaitMs`. Anything beyond is
 * answered at once with a 503 problem and `Retry-After`, so that heavy requests cannot take
 * every database connection from other callers.
 */
export class Admission {
  private running = 0;
  private readonly waiting: { start: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    private readonly limit: number,
    private readonly queueLength: number,
    private readonly maxWaitMs: number,
    private readonly what = 'reports',
  ) {}

  /** Runs `work` when a slot is free; rejects with a 503 problem when none frees in time. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.limit) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queueLength) return Promise.reject(this.busy());
    return new Promise((resolve, reject) => {
      const entry = {
        start: () => {
          clearTimeout(entry.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          reject(this.busy());
        }, this.maxWaitMs),
      };
      this.waiting.push(entry);
    });
  }

  private release() {
    const next = this.waiting.shift();
    // The slot passes to the next in line: `running` stays the same.
    if (next) next.start();
    else this.running -= 1;
  }

  private busy() {
    return new HttpProblem({
      type: 'busy',
      detail: `Too many ${this.what} are being computed; try again shortly.`,
      headers: { 'retry-after': String(Math.max(1, Math.ceil(this.maxWaitMs / 1000))) },
    });
  }
}
