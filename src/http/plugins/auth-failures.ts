import { isIPv6 } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem } from '../problem.js';

/**
 * Failed authentications per client address (docs/security.md → Failed authentication): at
 * most AUTH_FAILURE_LIMIT per AUTH_FAILURE_WINDOW_MS, a fixed window opening at an address's
 * first failure; beyond, every request of the address that needs a key is a 429 with
 * `Retry-After` until the window ends, answered before the key is looked up, so that guessing
 * costs the database nothing. Counted in memory, per instance: a guess already costs one
 * query, and a shared counter would add one more. An IPv6 client is counted by its /64, the
 * block one subscriber usually holds.
 */

/** Addresses remembered at once; beyond, windows that ended go first, then the oldest. */
const MAX_ADDRESSES = 10_000;

interface FailureWindow {
  started: number;
  failures: number;
}

export interface AuthFailureGuard {
  /** Throws the 429 when the request's address is over its limit. */
  refuseIfLimited(request: FastifyRequest): void;
  /** Counts a refused credential of the request's address. */
  recordFailure(request: FastifyRequest): void;
}

const disabled: AuthFailureGuard = { refuseIfLimited() {}, recordFailure() {} };

export function authFailureGuard(app: FastifyInstance): AuthFailureGuard {
  const { authFailureLimit: limit, authFailureWindowMs: windowMs } = app.config;
  if (limit <= 0) return disabled;
  const windows = new Map<string, FailureWindow>();

  const current = (address: string, now: number) => {
    const window = windows.get(address);
    if (window && now - window.started < windowMs) return window;
    if (window) windows.delete(address);
    return undefined;
  };

  return {
    refuseIfLimited(request) {
      const now = Date.now();
      const window = current(clientOf(request.ip), now);
      if (!window || window.failures < limit) return;
      const seconds = String(Math.max(1, Math.ceil((window.started + windowMs - now) / 1000)));
      throw new HttpProblem({
        type: 'too-many-failed-authentications',
        detail: `More than ${limit} failed authentications from this address; retry in ${seconds} s.`,
        headers: { 'retry-after': seconds },
      });
    },
    recordFailure(request) {
      const now = Date.now();
      const client = clientOf(request.ip);
      let window = current(client, now);
      if (!window) {
        if (windows.size >= MAX_ADDRESSES) evict(windows, now, windowMs);
        window = { started: now, failures: 0 };
        windows.set(client, window);
      }
      window.failures += 1;
      if (window.failures === limit) {
        // Once per address and window: the requests refused after it are not logged one by one.
        request.log.warn(
          { client, failures: window.failures, windowMs },
          'failed authentications over the limit: the address is refused until the window ends',
        );
      }
    },
  };
}

function evict(windows: Map<string, FailureWindow>, now: number, windowMs: number) {
  for (const [client, window] of windows) {
    if (now - window.started >= windowMs) windows.delete(client);
  }
  // Still full: the oldest entries go (a Map iterates in insertion order).
  for (const client of windows.keys()) {
    if (windows.size < MAX_ADDRESSES) break;
    windows.delete(client);
  }
}

/** The address an IPv4 client is counted by, or the /64 of an IPv6 one. */
export function clientOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
