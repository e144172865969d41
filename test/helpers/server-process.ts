import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

interface ServerProcess {
  child: ChildProcess;
  /** Base URL once listening. */
  url: string;
  output(): string;
  exit(): Promise<number | null>;
}

const ENTRY = new URL('../../src/server.ts', import.meta.url).pathname;

/** Runs `src/server.ts` as its own process, as `npm start` would, and waits until it listens. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 90_000) {
  const { child, output, exit } = spawnServer(env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start:\n${output()}`)),
      timeoutMs,
    );
    const check = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`server exited:\n${output()}`));
    });
  });
  return { child, url, output, exit } satisfies ServerProcess;
}

/** Spawns the server without waiting: for processes expected to refuse to start. */
export function spawnServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import=tsx', ENTRY], {
    // No load shedding unless a test asks: on a busy CI machine tsx's compile at start alone
    // can push the event-loop delay past the limit and turn a readiness probe into a 503.
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', MAX_EVENT_LOOP_DELAY_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (d) => {
    text += d;
  });
  child.stderr.on('data', (d) => {
    text += d;
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => text, exit: () => exited };
}
