import type { FastifyInstance } from 'fastify';

/**
 * Housekeeping of a listening app: `work` runs once the app listens, then every `intervalMs`
 * until it closes. Its outcome is logged (debug when done, warn when it failed); a failure
 * waits for the next turn. Apps built only for `inject` (tests, tools) never start it.
 */
export function runWhileListening(
  app: FastifyInstance,
  what: string,
  intervalMs: number,
  work: () => Promise<number>,
) {
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    work().then(
      (count) => app.log.debug({ count }, `${what}: done`),
      (error: unknown) => app.log.warn({ err: error }, `${what}: failed`),
    );
  };
  app.addHook('onListen', async () => {
    run();
    timer ??= setInterval(run, intervalMs).unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}
