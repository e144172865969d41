/**
 * The authorization matrix: every operation of openapi.yaml × {no key, revoked key, another
 * partner's key, reporting, partner, admin} × {API key, person}, against the table in
 * expectations.ts. People's access tokens come from a real OpenID provider in this process.
 */
import type { LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import t from 'tap';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '../../src/db/tables/api-keys.js';
import { fillPath, loadOperations, type Operation, pathParameterNames } from '../fuzz/openapi.js';
import { buildWorld, type World } from '../fuzz/world.js';
import { ADMIN_KEY, startTestApp } from '../helpers/app.js';
import { AUDIENCE, type SigningKey, signingKey, startProvider } from '../helpers/oidc-provider.js';
import { EXPECTATIONS, type Expectation } from './expectations.js';

const operations = loadOperations();

t.test('the expectation table names exactly the operations of openapi.yaml', async (t) => {
  const documented = operations.map((op) => op.id).sort();
  const listed = Object.keys(EXPECTATIONS).sort();
  t.same(
    documented.filter((id) => !listed.includes(id)),
    [],
    'every operation has an expectation (add new ones to test/authz/expectations.ts)',
  );
  t.same(
    listed.filter((id) => !documented.includes(id)),
    [],
    'every expectation names an existing operation',
  );
});

type KeyCaller = 'none' | 'revoked' | 'otherPartner' | Role;
/** The same callers signed in as people (an expired token stands for the revoked key). */
type PersonCaller = `person:${Exclude<KeyCaller, 'none'>}`;
type Caller = KeyCaller | PersonCaller;
const KEY_CALLERS: KeyCaller[] = [
  'none',
  'revoked',
  'otherPartner',
  'reporting',
  'partner',
  'admin',
];
const PERSON_CALLERS: PersonCaller[] = [
  'person:revoked',
  'person:otherPartner',
  'person:reporting',
  'person:partner',
  'person:admin',
];
const CALLERS: Caller[] = [...KEY_CALLERS, ...PERSON_CALLERS];

/** The caller as a key caller: a person stands where a key of the same role would. */
const asKeyCaller = (caller: Caller): KeyCaller =>
  caller.startsWith('person:')
    ? (caller.slice('person:'.length) as KeyCaller)
    : (caller as KeyCaller);

/** The path parameters of an operation, addressing objects of FENIP (the `partner` caller's). */
function pathValues(op: Operation, world: World): Record<string, string> {
  const [, , collection] = op.path.split('/');
  const values: Record<string, string> = {};
  for (const name of pathParameterNames(op.path)) {
    const value = valueFor(collection ?? '', name, world);
    if (value === undefined)
      throw new Error(`no value for {${name}} of ${op.path}: extend the matrix`);
    values[name] = value;
  }
  return values;
}

function valueFor(collection: string, name: string, world: World): string | undefined {
  const byCollection: Record<string, Record<string, string>> = {
    partners: { code: 'FENIP', externalRef: world.fenip.externalRef },
    members: { id: world.fenip.memberId },
    activities: { id: world.fenip.activityId },
    assessments: { id: world.fenip.assessmentId },
    'kpi-values': { id: world.fenip.kpiValueId },
    grids: { id: world.gridId },
    'api-keys': { id: world.spareKeyIds[0] ?? '' },
    kpis: { code: 'EXPORT_SALES' },
    reports: { code: 'EXPORT_SALES' },
    periods: { period: '2025Q1' },
    webhooks: { id: world.fenip.webhookId, deliveryId: world.fenip.deliveryId },
    events: {},
  };
  return byCollection[collection]?.[name];
}

/** The same parameters naming nothing that exists. */
function absentValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      name === 'id' ? uuidv7() : name === 'externalRef' ? 'no-such-ref' : value,
    ]),
  );
}

function callerRole(caller: Caller): Role | undefined {
  const key = asKeyCaller(caller);
  if (key === 'otherPartner') return 'partner';
  return key === 'none' || key === 'revoked' ? undefined : key;
}

/** What is wrong with the answer to `caller`, if anything. */
function judge(
  expectation: Expectation,
  op: Operation,
  caller: Caller,
  res: LightMyRequestResponse,
  /** The same request for an object that does not exist. */
  absent?: LightMyRequestResponse,
): string | undefined {
  const status = res.statusCode;
  if (status >= 500) return `server error ${status}`;
  if (status >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json'))
    return `error ${status} is not a problem document`;
  if ('public' in expectation) return status < 300 ? undefined : `public, got ${status}`;
  const role = callerRole(caller);
  if (!role) {
    if (status !== 401) return `expected 401, got ${status}`;
    return /^Bearer/.test(String(res.headers['www-authenticate']))
      ? undefined
      : 'a 401 without WWW-Authenticate: Bearer';
  }
  if (!expectation.roles.includes(role))
    return status === 403 ? undefined : `expected 403, got ${status}`;
  if (asKeyCaller(caller) === 'otherPartner' && expectation.partnerPath)
    return status === 403 ? undefined : `another partner's path: expected 403, got ${status}`;
  if (asKeyCaller(caller) === 'otherPartner' && expectation.owned) {
    const seen = `${status} ${res.json().type}`;
    const ifAbsent = `${absent?.statusCode} ${absent?.json().type}`;
    if (status !== 404) return `another partner's object: expected 404, got ${seen}`;
    return seen === ifAbsent ? undefined : `answered ${seen}, but ${ifAbsent} for an absent one`;
  }
  if (status === 401 || status === 403) return `allowed, got ${status}`;
  if (expectation.owned && status === 404) return 'own object answered 404';
  if (op.method === 'GET' && !hasRequiredQuery(op) && status >= 300)
    return `allowed read answered ${status}`;
  return undefined;
}

const hasRequiredQuery = (op: Operation) =>
  op.parameters.some((p) => p.in === 'query' && p.required && p.schema.default === undefined);

t.test('every operation answers each kind of caller as the table says', async (t) => {
  const providerKey = await signingKey('matrix', 'ES256');
  const provider = await startProvider(
    {
      reporting: { jahiz_role: 'reporting' },
      fenip: { jahiz_role: 'partner', jahiz_partner: 'FENIP' },
      asmex: { jahiz_role: 'partner', jahiz_partner: 'ASMEX' },
      admin: { jahiz_role: 'admin', name: 'Programme Officer' },
    },
    [providerKey],
  );
  t.teardown(() => provider.close());
  const { api, keyFor } = await startTestApp(t, {
    RATE_LIMIT_MAX: '0',
    OIDC_ISSUER: provider.issuer,
    OIDC_AUDIENCE: AUDIENCE,
  });
  const world = await buildWorld(api);
  const issued = await api({
    method: 'POST',
    url: '/v1/api-keys',
    body: { name: 'to be revoked', role: 'partner', partnerCode: 'FENIP' },
  });
  const revoked = issued.json().key as string;
  const revocation = await api({ method: 'DELETE', url: `/v1/api-keys/${issued.json().id}` });
  t.ok(revocation.statusCode < 300, 'the key is revoked');
  const keys: Record<Caller, string | null> = {
    none: null,
    revoked,
    otherPartner: await keyFor('partner', 'ASMEX'),
    reporting: await keyFor('reporting'),
    partner: await keyFor('partner', 'FENIP'),
    admin: ADMIN_KEY,
    'person:revoked': await expiredToken(providerKey, provider.issuer),
    'person:otherPartner': await provider.token('asmex'),
    'person:reporting': await provider.token('reporting'),
    'person:partner': await provider.token('fenip'),
    'person:admin': await provider.token('admin'),
  };
  // Reads first, then writes (which may change the objects, e.g. a withdrawal).
  const ordered = [...operations].sort(
    (a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'),
  );
  for (const op of ordered) {
    const expectation = EXPECTATIONS[op.id];
    if (!expectation) continue; // reported by the table test
    const values = pathValues(op, world);
    const send = (caller: Caller, url: string) =>
      api({
        method: op.method,
        url,
        key: keys[caller],
        // Past the If-Match precondition (428), to the object itself.
        ...(op.method === 'PATCH' || op.method === 'PUT' ? { headers: { 'if-match': '"1"' } } : {}),
        ...(op.body ? { body: {} } : {}),
      });
    const wrong: Record<string, string> = {};
    for (const caller of CALLERS) {
      // A subscription deleted is gone: each caller deletes one of its own.
      if (op.id === 'deleteWebhook') values.id = world.fenip.spareWebhookIds.pop() ?? '';
      const res = await send(caller, fillPath(op.path, values));
      const absent =
        asKeyCaller(caller) === 'otherPartner' && 'roles' in expectation && expectation.owned
          ? await send(caller, fillPath(op.path, absentValues(values)))
          : undefined;
      const problem = judge(expectation, op, caller, res, absent);
      if (problem) wrong[caller] = `${problem}: ${res.body.slice(0, 200)}`;
    }
    t.same(wrong, {}, `${op.id} (${op.method} ${op.path})`);
  }
});

/** A partner's token signed with the provider's key, expired two minutes ago. */
function expiredToken(key: SigningKey, issuer: string): Promise<string> {
  const past = Math.floor(Date.now() / 1000) - 120;
  return new SignJWT({ jahiz_role: 'partner', jahiz_partner: 'FENIP' })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setSubject('fenip')
    .setIssuedAt(past - 300)
    .setExpirationTime(past)
    .sign(key.privateKey);
}

t.test('health, documentation and the OpenAPI document need no key', async (t) => {
  const { api } = await startTestApp(t);
  for (const url of ['/health/live', '/health/ready', '/openapi.json', '/openapi.yaml', '/docs/']) {
    t.equal((await api({ method: 'GET', url, key: null })).statusCode, 200, url);
  }
});
