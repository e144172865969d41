import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Received {
  headers: Record<string, string>;
  body: string;
}

/**
 * A webhook receiver on 127.0.0.1: records each request's raw body and headers and answers
 * with what `answer` says (a status, or `hang` for never).
 */
export async function startReceiver(t: { teardown(fn: () => unknown): void }) {
  const received: Received[] = [];
  let answer: number | 'hang' | ((r: Received) => number) = 204;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const r = {
        headers: request.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      const status = typeof answer === 'function' ? answer(r) : answer;
      if (status === 'hang') return;
      if (status >= 300 && status < 400) response.setHeader('location', `${url}/elsewhere`);
      response.statusCode = status;
      response.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return {
    url,
    received,
    answer(a: typeof answer) {
      answer = a;
    },
  };
}
