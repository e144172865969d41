/** Request bodies shared by the grid and assessment route tests. */

import type { GridDefinition } from '../../src/modules/grids/definition.js';
import type { TestApp } from '../helpers/app.js';
import { exampleGridBody } from '../helpers/example-grid.js';
import { expectStatus } from '../helpers/expect.js';
import { memberBody as fullMemberBody } from '../members/fixtures.js';

export const exampleAnswers = (c1: boolean) => [
  { criterion: 'c1', value: c1 },
  { criterion: 'c2', value: 3 },
  { criterion: 'c3', value: 'y' },
];

/** 100 × (2 × (1·1 + 3·0.75)/4 + 1 × 0.5)/3, computed in the order of docs/scoring.md. */
export const EXAMPLE_SCORE = 100 * ((2 * ((1 * 1 + 3 * 0.75) / 4) + 1 * 0.5) / 3);
export const EXAMPLE_SCORE_C1_FALSE = 100 * ((2 * ((1 * 0 + 3 * 0.75) / 4) + 1 * 0.5) / 3);

/** The members' fixture without its optional parts (undefined fields are not sent). */
function memberBody(overrides: Record<string, unknown> = {}) {
  return fullMemberBody({
    legalForm: undefined,
    province: undefined,
    city: undefined,
    membersCount: undefined,
    digital: undefined,
    products: [{ hsCode: '091020', name: 'Safran' }],
    certifications: [],
    exportMarkets: [],
    targetMarkets: ['FR'],
    contacts: [],
    joinedOn: '2024-01-15',
    ...overrides,
  });
}

type Api = TestApp['api'];

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
      body: memberBody({ partnerCode, ...overrides }),
    }),
    201,
  ).json();
}

/** The id of SIPPO-ERG version 1. */
export async function defaultGridId(api: Api): Promise<string> {
  const res = expectStatus(await api({ method: 'GET', url: '/v1/grids?code=SIPPO-ERG' }), 200);
  return res.json().data.find((g: { version: number }) => g.version === 1).id;
}

export { exampleGridBody };
