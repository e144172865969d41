/** Returns the response when its status is the one expected; else fails naming what was sent. */
export function expectStatus<R extends { statusCode: number; body: string }>(
  res: R,
  status: number,
  what = 'request',
): R {
  if (res.statusCode !== status)
    throw new Error(`${what}: expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res;
}
