/** Hostile values the fuzzer plants in requests. */

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** Odd Unicode, SQL-looking and otherwise awkward text. */
export const ODD_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\u202Eevil\u202C',
  '\u200F\u200E\u061C',
  '👩🏽‍🌾🇲🇦',
  'تعاونية الزعفران تالوين',
  'Coopérative Œuvre à l’été, façade',
  "' OR 1=1 --",
  '; drop table members',
  '"; DROP TABLE members; --',
  "Robert'); DELETE FROM api_keys; --",
  '%00%27',
  '../../etc/passwd',
  '\\',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, on purpose
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '   ',
  '',
  '\r\n\t',
  'ＡＳＭＥＸ',
  'NaN',
  '-1',
  '1e309',
  '9'.repeat(40),
  'null',
  '[]',
  '{"$gt":""}',
];

/** Ids that are no uuid, or uuids of nothing. */
export const BAD_IDS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '0195f1e2-7c2a-7d33-9b8a-zzzzzzzzzzzz',
  '0195f1e27c2a7d339b8a1d2e3f405060',
  '{0195f1e2-7c2a-7d33-9b8a-1d2e3f405060}',
  '%',
  '..',
  '1',
  '-1',
  "' OR 1=1 --",
  'x'.repeat(300),
  '\u0000',
];

/** Cursors that were never issued by the service. */
export const BAD_CURSORS = [
  'x',
  '!!!',
  '%FF%FE',
  base64url('{}'),
  base64url('null'),
  base64url('[]'),
  base64url('{"id":"x","at":"yesterday"}'),
  base64url(`{"id":"' OR 1=1 --"}`),
  base64url('["2025-01-01T00:00:00Z","not-a-uuid"]'),
  base64url('\u0000\u0001'),
  'eyJ',
  'a'.repeat(5000),
];

/** Out-of-range and malformed page sizes. */
export const BAD_LIMITS = [
  '0',
  '-1',
  '101',
  '1e3',
  '20.5',
  'abc',
  '',
  '99999999999999999999',
  '0x10',
];

/** Request bodies that are not JSON, each with the media type it is sent as. */
export const MALFORMED_BODIES: { contentType: string; body: string }[] = [
  { contentType: 'application/json', body: '{"name":' },
  { contentType: 'application/json', body: '{"a":1,"a":2' },
  { contentType: 'application/json', body: "{'single':'quotes'}" },
  { contentType: 'application/json', body: '\u0000' },
  { contentType: 'application/json', body: '{"__proto__":{"admin":true}}' },
  { contentType: 'application/json', body: '{"constructor":{"prototype":{"x":1}}}' },
  { contentType: 'application/json', body: 'null' },
  { contentType: 'application/json', body: '12345678901234567890123456789' },
  { contentType: 'text/plain', body: 'hello' },
  { contentType: 'application/xml', body: '<member/>' },
  { contentType: 'application/x-www-form-urlencoded', body: 'name=x&type=gie' },
  { contentType: 'application/json; charset=latin1', body: '{}' },
];

export const DEEP_LEVELS = 10_000;

/** JSON text nesting arrays or objects `levels` deep. */
export function deepJson(levels: number, shape: 'array' | 'object'): string {
  return shape === 'array'
    ? `${'['.repeat(levels)}${']'.repeat(levels)}`
    : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** A string of ~1 MiB: just under the body limit, or just over it. */
export const megabyteString = (over: boolean) => 'm'.repeat(over ? 1024 * 1024 + 16 : 1_000_000);
