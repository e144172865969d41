import type { FastifyReply } from 'fastify';
import { HttpProblem } from '../problem.js';

/** Aborted when the client closes the connection before its answer is complete. */
export function clientGoneSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** The request was dropped from the queue because its client has gone: nobody gets an answer. */
export class ClientGone extends Error {
  constructor() {
    super('the client closed the connection while its request waited for a slot');
  }
}

/**
 * Admission control for heavy work (reports, exports): at most `limit` run at once, at most
 * `queueLength` wait for a turn, none waits longer than `maxWaitMs`. Anything beyond is
 * answered at once with a 503 problem and `Retry-After`, so that heavy requests cannot take
 * every database connection from other callers.
 */
export class Admission {
  private running = 0;
  private readonly waiting: { start: () => void; leave: () => void }[] = [];

  constructor(
    private readonly limit: number,
    private readonly queueLength: number,
    private readonly maxWaitMs: number,
    private readonly what = 'reports',
  ) {}

  /**
   * Runs `work` when a slot is free; rejects with a 503 problem when none frees in time. An
   * aborted `signal` (the client has gone) takes a waiting request out of the queue: left
   * there, abandoned requests would fill it and refuse the callers still waiting for an answer.
   */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new ClientGone());
    if (this.running < this.limit) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queueLength) return Promise.reject(this.busy());
    return new Promise((resolve, reject) => {
      const leaveWith = (error: Error) => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        entry.leave();
        reject(error);
      };
      const onAbort = () => leaveWith(new ClientGone());
      const timer = setTimeout(() => leaveWith(this.busy()), this.maxWaitMs);
      const entry = {
        start: () => {
          entry.leave();
          resolve();
        },
        leave: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  /** Requests waiting for a slot now. */
  get queued(): number {
    return this.waiting.length;
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
