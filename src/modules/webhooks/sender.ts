import http from 'node:http';
import https from 'node:https';
import ipaddr from 'ipaddr.js';
import { guardedLookup, hostOf, isPublicAddress, type UrlPolicy } from './address.js';

export interface Outcome {
  /** The receiver's status code; null when no answer came. */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface Message {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The most of a receiver's answer read (then the answer is dropped). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs one message and reports what happened, never throwing. The whole exchange (resolution,
 * connection, answer) is bounded by `timeoutMs`: a receiver that never answers cannot hold the
 * worker longer. Redirects are not followed (a 3xx is a failed attempt); the host's addresses
 * are checked as the connection is made (see address.ts).
 */
export function send(message: Message, policy: UrlPolicy, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    let deadline: NodeJS.Timeout | undefined;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ statusCode, error, durationMs: elapsed() });
    };
    const url = new URL(message.url);
    const host = hostOf(url);
    if (!policy.allowInsecure && ipaddr.isValid(host) && !isPublicAddress(host)) {
      finish(null, `${host} is not a public address`);
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'POST',
      headers: {
        ...message.headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(message.body),
        'user-agent': 'jahiz-webhooks/1',
      },
      lookup: guardedLookup(policy) as never,
      agent: false,
    });
    deadline = setTimeout(() => {
      finish(null, `no answer within ${timeoutMs} ms`);
      request.destroy();
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      finish(null, error.code ? `${error.code}: ${error.message}` : error.message);
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) response.destroy();
      });
      const done = () => finish(status, describe(status, response.headers.location));
      response.on('end', done);
      response.on('close', done);
      response.on('error', done);
    });
    request.end(message.body);
  });
}

function describe(status: number, location: string | undefined): string | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) {
    return `redirects are not followed (${status}${location ? ` to ${location}` : ''})`;
  }
  return `the receiver answered ${status}`;
}
