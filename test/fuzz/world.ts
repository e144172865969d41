/**
 * Real objects for operations that address an existing one: a few of each kind, created through
 * the API, and the pools of path-parameter values read back from the list endpoints.
 */
import {
  exampleAnswers,
  exampleGridBody,
  newMember,
  publishedGrid,
} from '../assessments/fixtures.js';
import type { TestApp } from '../helpers/app.js';
import { type Pools, poolKey } from './generate.js';
import { type Operation, pathParameterNames } from './openapi.js';

type Api = TestApp['api'];

export interface World {
  /** FENIP's members, activity, assessment, kpi value: objects a partner key of ASMEX must not see. */
  fenip: {
    memberId: string;
    externalRef: string;
    activityId: string;
    assessmentId: string;
    kpiValueId: string;
    /** A webhook subscription to FENIP's events, and one attempt of its delivery log. */
    webhookId: string;
    deliveryId: string;
    /** Subscriptions made to be deleted, one per deletion. */
    spareWebhookIds: string[];
  };
  asmex: { memberId: string; externalRef: string; activityId: string; assessmentId: string };
  gridId: string;
  draftGridId: string;
  /** Keys made to be revoked by the fuzzer (never the keys the tests send). */
  spareKeyIds: string[];
}

async function created(api: Api, method: 'POST' | 'PUT', url: string, body: unknown) {
  const res = await api({ method, url, body });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode}: ${res.body}`);
  return res.json();
}

async function partnerObjects(api: Api, partnerCode: string, gridId: string, tag: string) {
  const externalRef = `${tag}-ext-1`;
  const member = await newMember(api, partnerCode, { externalRef, name: `Coopérative ${tag}` });
  const activity = await created(api, 'POST', '/v1/activities', {
    partnerCode,
    type: 'training',
    mode: 'physical',
    title: `Formation ${tag}`,
    startsOn: '2025-02-11',
    endsOn: '2025-02-12',
    country: 'MA',
    participants: [{ memberId: member.id, women: 2, men: 1 }],
  });
  const assessment = await created(api, 'POST', '/v1/assessments', {
    memberId: member.id,
    gridId,
    assessedOn: '2025-03-10',
    assessor: { name: 'Auditrice' },
    answers: exampleAnswers(true),
  });
  return { memberId: member.id, externalRef, activityId: activity.id, assessmentId: assessment.id };
}

/** A public address (never contacted: no worker runs in these tests). */
const WEBHOOK_URL = 'https://93.184.215.14/jahiz-webhooks';

async function fenipWebhooks(api: Api) {
  const subscribe = async () =>
    (
      await created(api, 'POST', '/v1/webhooks', {
        url: WEBHOOK_URL,
        types: ['member.created'],
        partnerCode: 'FENIP',
      })
    ).id as string;
  const webhookId = await subscribe();
  await newMember(api, 'FENIP', { name: 'Coopérative webhook' });
  const log = await api({ method: 'GET', url: `/v1/webhooks/${webhookId}/deliveries` });
  const deliveryId = log.json().data[0].id as string;
  const spareWebhookIds: string[] = [];
  for (let i = 0; i < 6; i++) spareWebhookIds.push(await subscribe());
  return { webhookId, deliveryId, spareWebhookIds };
}

export async function buildWorld(api: Api): Promise<World> {
  const grid = await publishedGrid(api, exampleGridBody('FUZZ'));
  const draft = await created(api, 'POST', '/v1/grids', exampleGridBody('FUZZDRAFT'));
  const asmex = await partnerObjects(api, 'ASMEX', grid.id, 'asmex');
  const fenipObjects = await partnerObjects(api, 'FENIP', grid.id, 'fenip');
  const imported = await created(api, 'POST', '/v1/kpi-values', {
    values: [{ kpi: 'EXPORT_SALES', period: '2025Q1', partnerCode: 'FENIP', value: 1000 }],
  });
  const kpiValueId = imported.results[0].id as string;
  const webhooks = await fenipWebhooks(api);
  const spareKeyIds: string[] = [];
  for (const role of ['reporting', 'admin']) {
    spareKeyIds.push(
      (await created(api, 'POST', '/v1/api-keys', { name: `spare ${role}`, role })).id,
    );
  }
  return {
    fenip: { ...fenipObjects, kpiValueId, ...webhooks },
    asmex,
    gridId: grid.id,
    draftGridId: draft.id,
    spareKeyIds,
  };
}

/**
 * For each path parameter, the values that exist: read from the collection the path is under
 * (`/v1/members/{id}/…` → `GET /v1/members`, `/v1/reports/kpis/{code}/…` → `GET /v1/kpis`).
 */
export async function buildPools(api: Api, operations: Operation[], world: World): Promise<Pools> {
  const pools: Pools = new Map();
  const lists = new Map<string, Record<string, unknown>[]>();
  for (const operation of operations) {
    for (const name of pathParameterNames(operation.path)) {
      const before = operation.path.slice(0, operation.path.indexOf(`{${name}}`) - 1);
      const collection = `/v1/${before
        .split('/')
        .filter((s) => s && !s.includes('{'))
        .at(-1)}`;
      if (collection === '/v1/api-keys') {
        pools.set(poolKey(operation.path, name), world.spareKeyIds);
        continue;
      }
      if (!lists.has(collection)) {
        const res = await api({ method: 'GET', url: `${collection}?limit=100` });
        lists.set(collection, res.statusCode === 200 ? (res.json().data ?? []) : []);
      }
      const values = (lists.get(collection) ?? [])
        .map((item) => item[name])
        .filter((v): v is string => typeof v === 'string');
      if (values.length > 0) pools.set(poolKey(operation.path, name), values);
    }
  }
  return pools;
}
