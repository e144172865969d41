import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';
/** A caller's id is kept when it is short and plain; anything else is replaced, not echoed. */
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

export function generateRequestId(req: { headers: Record<string, unknown> }): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTABLE.test(given) ? given : randomUUID();
}
