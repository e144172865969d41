/** Sends a fuzz case and judges the answer against the contract's promises. */
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../helpers/app.js';
import type { Conformance } from './conformance.js';
import type { FuzzCase } from './generate.js';
import { fillPath, type Operation, wellFormed } from './openapi.js';

export interface Keys {
  admin: string;
  partner: string;
}

export interface Exchange {
  url: string;
  schemaValid: boolean;
  response: LightMyRequestResponse;
}

function queryString(query: FuzzCase['query']): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, wellFormed(v));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The current ETag of the object the operation addresses, read with a GET of the same path. */
async function currentEtag(app: TestApp, url: string, keys: Keys) {
  const res = await app.api({ method: 'GET', url, key: keys.admin });
  return res.headers.etag === undefined ? `"0"` : String(res.headers.etag);
}

export async function send(
  app: TestApp,
  operation: Operation,
  c: FuzzCase,
  keys: Keys,
  conforms: Conformance,
): Promise<Exchange> {
  const path = fillPath(operation.path, c.pathValues);
  const url = `${path}${queryString(c.query)}`;
  const headers = { ...c.headers };
  if (c.currentEtag) headers['if-match'] = await currentEtag(app, path, keys);
  const pathValues = Object.fromEntries(
    Object.entries(c.pathValues).map(([k, v]) => [k, wellFormed(v)]),
  );
  let payload: string | undefined;
  if (c.raw) {
    headers['content-type'] = c.raw.contentType;
    payload = c.raw.text;
  } else if (c.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(c.body);
  }
  const schemaValid = conforms({
    pathValues,
    query: c.query,
    headers,
    body: c.raw ? parseOrUndefined(c.raw) : c.body,
    bodyIsJson: !c.raw || c.raw.contentType.startsWith('application/json'),
  });
  const response = await app.app.inject({
    method: operation.method,
    url,
    headers: { authorization: `Bearer ${keys[c.key]}`, ...headers },
    ...(payload === undefined ? {} : { payload }),
  });
  return { url, schemaValid, response };
}

function parseOrUndefined(raw: { contentType: string; text: string }): unknown {
  try {
    return JSON.parse(raw.text);
  } catch {
    return Symbol('not JSON');
  }
}

/** What is wrong with the answer, if anything (an empty list when it keeps the contract). */
export function violations(exchange: Exchange): string[] {
  const { response, schemaValid } = exchange;
  const status = response.statusCode;
  const found: string[] = [];
  if (status >= 500) found.push(`server error ${status}`);
  if (status >= 400) {
    found.push(...problemViolations(response));
    if (schemaValid && status === 400 && problemOf(response)?.source === 'schema')
      found.push('schema-valid input refused by schema validation');
  } else if (!schemaValid && status < 300) {
    found.push(`schema-invalid input accepted (${status})`);
  }
  return found;
}

function problemOf(response: LightMyRequestResponse): Record<string, unknown> | undefined {
  try {
    const body = JSON.parse(response.body);
    return typeof body === 'object' && body !== null ? body : undefined;
  } catch {
    return undefined;
  }
}

function problemViolations(response: LightMyRequestResponse): string[] {
  const found: string[] = [];
  if (!String(response.headers['content-type']).startsWith('application/problem+json'))
    found.push(`error media type ${response.headers['content-type']}`);
  const problem = problemOf(response);
  if (!problem) return [...found, 'error body is not a JSON object'];
  for (const member of ['type', 'title', 'detail'])
    if (typeof problem[member] !== 'string' || problem[member] === '')
      found.push(`problem without ${member}`);
  if (problem.status !== response.statusCode)
    found.push('problem status differs from the HTTP status');
  return found;
}
