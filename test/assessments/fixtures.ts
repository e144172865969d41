/** Request bodies shared by the grid and assessment route tests. */
import type { GridDefinition } from '../../src/modules/grids/definition.js';
import type { TestApp } from '../helpers/app.js';

const txt = (s: string) => ({ fr: `${s} (fr)`, en: `${s} (en)` });

/** The worked example of scoring.md, as its `POST /v1/grids` body (with a code of choice). */
export function exampleGridBody(code = 'EXAMPLE'): GridDefinition {
  return {
    code,
    title: { fr: 'Exemple', en: 'Example' },
    minCoverage: 0.8,
    categories: [
      { code: 'A', label: { fr: 'Prêt à exporter', en: 'Export-ready' }, minScore: 80 },
      { code: 'B', label: { fr: 'Presque prêt', en: 'Nearly ready' }, minScore: 60 },
      { code: 'C', label: { fr: 'En développement', en: 'Developing' }, minScore: 40 },
      { code: 'D', label: { fr: 'Pré-export', en: 'Pre-export' }, minScore: 0 },
    ],
    dimensions: [
      {
        code: 'D1',
        title: txt('D1'),
        weight: 2,
        criteria: [
          {
            code: 'c1',
            title: txt('c1'),
            weight: 1,
            answer: { type: 'boolean' },
            knockout: { cap: 'C' },
            recommendation: txt('do c1'),
          },
          {
            code: 'c2',
            title: txt('c2'),
            weight: 3,
            answer: { type: 'scale', maxLevel: 4 },
            recommendation: txt('do c2'),
          },
        ],
      },
      {
        code: 'D2',
        title: txt('D2'),
        weight: 1,
        criteria: [
          {
            code: 'c3',
            title: txt('c3'),
            weight: 1,
            answer: {
              type: 'choice',
              options: [
                { code: 'x', score: 1 },
                { code: 'y', score: 0.5 },
              ],
            },
            notApplicableAllowed: true,
            recommendation: txt('do c3'),
          },
        ],
      },
    ],
  };
}

export const exampleAnswers = (c1: boolean) => [
  { criterion: 'c1', value: c1 },
  { criterion: 'c2', value: 3 },
  { criterion: 'c3', value: 'y' },
];

/** 100 × (2 × (1·1 + 3·0.75)/4 + 1 × 0.5)/3, computed in the order of scoring.md. */
export const EXAMPLE_SCORE = 100 * ((2 * ((1 * 1 + 3 * 0.75) / 4) + 1 * 0.5) / 3);
export const EXAMPLE_SCORE_C1_FALSE = 100 * ((2 * ((1 * 0 + 3 * 0.75) / 4) + 1 * 0.5) / 3);

/** A member body for `POST /v1/members`. */
export function memberBody(overrides: Record<string, unknown> = {}) {
  return {
    type: 'cooperative',
    name: 'Coopérative Safran Taliouine',
    region: 'MA-09',
    remoteArea: true,
    womenLed: true,
    products: [{ hsCode: '091020', name: 'Safran' }],
    certifications: [],
    exportMarkets: [],
    targetMarkets: ['FR'],
    contacts: [],
    joinedOn: '2024-01-15',
    ...overrides,
  };
}

type Api = TestApp['api'];

function expectStatus<R extends { statusCode: number; body: string }>(res: R, status: number): R {
  if (res.statusCode !== status)
    throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res;
}

/** Creates and publishes a grid; returns it. */
export async function publishedGrid(api: Api, body: GridDefinition) {
  const created = expectStatus(await api({ method: 'POST', url: '/v1/grids', body }), 201).json();
  return expectStatus(
    await api({ method: 'POST', url: `/v1/grids/${created.id}/publish` }),
    200,
  ).json();
}

/** Registers a member of a partner (admin key) and returns it. */
export async function newMember(api: Api, partnerCode: string, overrides = {}) {
  return expectStatus(
    await api({
      method: 'POST',
      url: '/v1/members',
      body: { partnerCode, ...memberBody(overrides) },
    }),
    201,
  ).json();
}

/** The id of SIPPO-ERG version 1. */
export async function defaultGridId(api: Api): Promise<string> {
  const res = expectStatus(await api({ method: 'GET', url: '/v1/grids?code=SIPPO-ERG' }), 200);
  return res.json().data.find((g: { version: number }) => g.version === 1).id;
}
