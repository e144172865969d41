import t from 'tap';
import { defaultGrid } from '../../src/modules/grids/default-grid.js';
import {
  EXAMPLE_SCORE,
  EXAMPLE_SCORE_C1_FALSE,
  exampleAnswers,
  exampleGridBody,
} from '../assessments/fixtures.js';
import { startTestApp } from '../helpers/app.js';
import { withoutArabic } from '../helpers/without-arabic.js';

const { api, keyFor, app } = await startTestApp(t);
const partnerKey = await keyFor('partner', 'FENIP');
const reportingKey = await keyFor('reporting');

async function createPublished(code: string, body: object = exampleGridBody(code)) {
  const created = await api({ method: 'POST', url: '/v1/grids', body });
  if (created.statusCode !== 201) throw new Error(created.body);
  const id = created.json().id as string;
  const published = await api({ method: 'POST', url: `/v1/grids/${id}/publish` });
  if (published.statusCode !== 200) throw new Error(published.body);
  return published.json();
}

t.test('the default grid SIPPO-ERG v1 is published from the first start', async (t) => {
  const res = await api({ method: 'GET', url: '/v1/grids?code=SIPPO-ERG', key: reportingKey });
  t.equal(res.statusCode, 200);
  const [grid] = res.json().data;
  t.match(grid, { code: 'SIPPO-ERG', version: 1, status: 'published', minCoverage: 0.8 });
  t.ok(grid.publishedAt);
  t.equal(grid.dimensions.length, defaultGrid.dimensions.length);
  // The frozen copy in the migration is the definition in default-grid.ts: a change there must
  // become version 2, never a silent rewrite of version 1. Migration 0018 only added Arabic.
  const row = await app.db
    .selectFrom('grids')
    .select('definition')
    .where('id', '=', grid.id)
    .executeTakeFirstOrThrow();
  t.same(withoutArabic(row.definition), defaultGrid);
});

t.test('worked example of docs/scoring.md: create, publish, evaluate', async (t) => {
  const created = await api({ method: 'POST', url: '/v1/grids', body: exampleGridBody() });
  t.equal(created.statusCode, 201, created.body);
  const grid = created.json();
  t.match(grid, { code: 'EXAMPLE', version: 1, status: 'draft', revision: 1, publishedAt: null });
  t.equal(created.headers.etag, '"1"');

  const published = await api({ method: 'POST', url: `/v1/grids/${grid.id}/publish` });
  t.equal(published.statusCode, 200, published.body);
  t.match(published.json(), { status: 'published', revision: 2 });
  t.equal(published.headers.etag, '"2"');

  for (const key of [undefined, partnerKey, reportingKey]) {
    const res = await api({
      method: 'POST',
      url: `/v1/grids/${grid.id}/evaluate`,
      body: { answers: exampleAnswers(true) },
      ...(key ? { key } : {}),
    });
    t.equal(res.statusCode, 200, res.body);
    const result = res.json();
    // Answered rounded to 4 decimals: 70.8333333… reads 70.8333.
    t.equal(result.score, Number(EXAMPLE_SCORE.toFixed(4)));
    t.equal(result.score, 70.8333);
    t.equal(result.category, 'B');
    t.equal(result.baseCategory, 'B');
    t.equal(result.coverage, 1);
    t.same(result.knockouts, []);
    t.same(
      result.dimensions.map((d: { code: string; score: number }) => [d.code, d.score]),
      [
        ['D1', 0.8125],
        ['D2', 0.5],
      ],
    );
  }

  const failed = await api({
    method: 'POST',
    url: `/v1/grids/${grid.id}/evaluate`,
    body: { answers: exampleAnswers(false) },
  });
  const result = failed.json();
  t.equal(result.score, Number(EXAMPLE_SCORE_C1_FALSE.toFixed(4)));
  t.equal(result.score, 54.1667);
  t.equal(result.baseCategory, 'C');
  t.equal(result.category, 'C');
  t.same(result.knockouts, [{ criterion: 'c1', cap: 'C' }]);
  t.equal(result.gaps[0].criterion, 'c1');
  t.equal(result.gaps[0].knockout, true);

  // Nothing was stored: the grid is unchanged and no assessment exists.
  const again = await api({ method: 'GET', url: `/v1/grids/${grid.id}` });
  t.equal(again.json().revision, 2);
  const list = await api({ method: 'GET', url: `/v1/assessments?gridId=${grid.id}` });
  if (list.statusCode === 200) t.same(list.json().data, []);
});

t.test('evaluate: appliesTo by member type and HS codes; answer errors listed', async (t) => {
  const saffron = defaultGrid.dimensions
    .flatMap((d) => d.criteria)
    .find((c) => c.appliesTo?.hsChapters?.includes('0910'));
  t.ok(saffron, 'the default grid has a saffron criterion');
  const grids = await api({ method: 'GET', url: '/v1/grids?code=SIPPO-ERG' });
  const id = grids.json().data[0].id;
  const answers = [{ criterion: saffron!.code, notApplicable: false }];
  const asSaffron = await api({
    method: 'POST',
    url: `/v1/grids/${id}/evaluate`,
    body: { answers, memberType: 'cooperative', hsCodes: ['091020'] },
  });
  t.equal(asSaffron.statusCode, 200, asSaffron.body);
  t.ok(asSaffron.json().unanswered.includes(saffron!.code));
  const asFish = await api({
    method: 'POST',
    url: `/v1/grids/${id}/evaluate`,
    body: { answers, memberType: 'company', hsCodes: ['030389'] },
  });
  t.same(
    asFish.json().notApplicable.filter((n: { criterion: string }) => n.criterion === saffron!.code),
    [{ criterion: saffron!.code, reason: 'appliesTo' }],
  );

  const bad = await api({
    method: 'POST',
    url: `/v1/grids/${id}/evaluate`,
    body: {
      answers: [
        { criterion: 'NOPE', value: 1 },
        { criterion: 'LEG_REGISTRATION', value: 3 },
        { criterion: 'LEG_REGISTRATION', value: true },
      ],
      hsCodes: ['091020'],
    },
  });
  t.equal(bad.statusCode, 400);
  t.same(
    bad
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort(),
    ['/answers/0/criterion', '/answers/1/value', '/answers/2/criterion', '/memberType'],
  );
});

t.test('invalid definitions: every problem in one 400', async (t) => {
  const body = exampleGridBody('BROKEN');
  body.minCoverage = 1.5;
  body.categories[1]!.minScore = 90;
  body.dimensions[0]!.weight = 0;
  body.dimensions[0]!.criteria[0]!.knockout = { cap: 'Z' };
  body.dimensions[1]!.criteria[0]!.code = 'c1';
  const res = await api({ method: 'POST', url: '/v1/grids', body });
  t.equal(res.statusCode, 400);
  t.equal(res.json().type, 'urn:jahiz:problem:validation');
  t.same(
    res
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort(),
    [
      '/categories/1/minScore',
      '/dimensions/0/criteria/0/knockout/cap',
      '/dimensions/0/weight',
      '/dimensions/1/criteria/0/code',
      '/minCoverage',
    ],
  );
  const shape = await api({
    method: 'POST',
    url: '/v1/grids',
    body: { ...exampleGridBody('SHAPE'), dimensions: [{ code: 'D', weight: 1 }], extra: 1 },
  });
  t.equal(shape.statusCode, 400);
  t.ok(shape.json().errors.length >= 3, shape.body);
  const none = await api({ method: 'GET', url: '/v1/grids?code=BROKEN' });
  t.same(none.json().data, []);
});

t.test('drafts change with If-Match; published grids never change', async (t) => {
  const created = (
    await api({ method: 'POST', url: '/v1/grids', body: exampleGridBody('EDIT') })
  ).json();
  const url = `/v1/grids/${created.id}`;
  const edited = { ...exampleGridBody('EDIT'), minCoverage: 0.5 };
  t.equal((await api({ method: 'PUT', url, body: edited })).statusCode, 428);
  t.equal(
    (await api({ method: 'PUT', url, body: edited, headers: { 'if-match': '"7"' } })).statusCode,
    412,
  );
  const renamed = await api({
    method: 'PUT',
    url,
    body: { ...edited, code: 'OTHER' },
    headers: { 'if-match': '"1"' },
  });
  t.equal(renamed.statusCode, 400);
  t.same(renamed.json().errors, [
    { pointer: '/code', message: "must be EDIT (a grid's code does not change)" },
  ]);
  const ok = await api({ method: 'PUT', url, body: edited, headers: { 'if-match': '"1"' } });
  t.equal(ok.statusCode, 200, ok.body);
  t.match(ok.json(), { minCoverage: 0.5, revision: 2, version: 1 });
  t.equal(ok.headers.etag, '"2"');
  t.equal(
    (
      await api({
        method: 'PUT',
        url,
        body: edited,
        headers: { 'if-match': '"2"' },
        key: partnerKey,
      })
    ).statusCode,
    403,
  );

  t.equal(
    (await api({ method: 'POST', url: `${url}/publish`, headers: { 'if-match': '"1"' } }))
      .statusCode,
    412,
  );
  t.equal((await api({ method: 'POST', url: `${url}/publish` })).statusCode, 200);
  const frozen = await api({ method: 'PUT', url, body: edited, headers: { 'if-match': '"3"' } });
  t.equal(frozen.statusCode, 409);
  t.equal(frozen.json().type, 'urn:jahiz:problem:grid-status');
  t.equal((await api({ method: 'POST', url: `${url}/publish` })).statusCode, 409);
  const after = (await api({ method: 'GET', url })).json();
  t.equal(after.minCoverage, 0.5);
  t.equal(after.revision, 3);
});

t.test('codes, versions and retirement', async (t) => {
  const v1 = await createPublished('VERS');
  const dup = await api({ method: 'POST', url: '/v1/grids', body: exampleGridBody('VERS') });
  t.equal(dup.statusCode, 409);

  const v2 = await api({ method: 'POST', url: `/v1/grids/${v1.id}/versions` });
  t.equal(v2.statusCode, 201, v2.body);
  t.match(v2.json(), { code: 'VERS', version: 2, status: 'draft', revision: 1 });
  t.same(v2.json().dimensions, v1.dimensions);
  const second = await api({ method: 'POST', url: `/v1/grids/${v1.id}/versions` });
  t.equal(second.statusCode, 409);
  t.equal(second.json().existingGridId, v2.json().id);

  t.equal(
    (await api({ method: 'POST', url: `/v1/grids/${v2.json().id}/publish` })).statusCode,
    200,
  );
  // Copying version 1 again gives version 3: one after the highest of the code.
  const v3 = await api({ method: 'POST', url: `/v1/grids/${v1.id}/versions` });
  t.equal(v3.json().version, 3);

  t.equal((await api({ method: 'POST', url: `/v1/grids/${v3.json().id}/retire` })).statusCode, 409);
  const retired = await api({ method: 'POST', url: `/v1/grids/${v1.id}/retire` });
  t.equal(retired.statusCode, 200);
  t.match(retired.json(), { status: 'retired', version: 1 });
  t.ok(retired.json().retiredAt);
  t.equal((await api({ method: 'POST', url: `/v1/grids/${v1.id}/retire` })).statusCode, 409);

  const byStatus = await api({ method: 'GET', url: '/v1/grids?code=VERS&status=retired' });
  t.same(
    byStatus.json().data.map((g: { version: number }) => g.version),
    [1],
  );
  const page1 = await api({ method: 'GET', url: '/v1/grids?code=VERS&limit=2' });
  t.same(
    page1.json().data.map((g: { version: number }) => g.version),
    [1, 2],
  );
  const page2 = await api({
    method: 'GET',
    url: `/v1/grids?code=VERS&limit=2&cursor=${page1.json().nextCursor}`,
  });
  t.same(
    page2.json().data.map((g: { version: number }) => g.version),
    [3],
  );
  t.equal(page2.json().nextCursor, null);

  const audit = await api({ method: 'GET', url: `/v1/audit-events?entity=grid&entityId=${v1.id}` });
  t.equal(audit.statusCode, 200, audit.body);
  t.same(
    audit
      .json()
      .data.map((e: { action: string }) => e.action)
      .sort(),
    ['created', 'published', 'retired'],
  );
});

t.test('roles: only admin writes grids; unknown grid 404', async (t) => {
  const body = exampleGridBody('ROLES');
  t.equal((await api({ method: 'POST', url: '/v1/grids', body, key: partnerKey })).statusCode, 403);
  t.equal(
    (await api({ method: 'POST', url: '/v1/grids', body, key: reportingKey })).statusCode,
    403,
  );
  const missing = await api({
    method: 'GET',
    url: '/v1/grids/01936000-0000-7000-8000-0000000000ff',
  });
  t.equal(missing.statusCode, 404);
});

t.test('results are answered rounded to 4 decimals, decided on the unrounded values', async (t) => {
  const example = exampleGridBody('ROUNDING');
  const [c1] = example.dimensions[0]!.criteria;
  const grid = await createPublished('ROUNDING', {
    ...example,
    categories: [example.categories[0], { ...example.categories[3]!, minScore: 0 }],
    dimensions: [
      {
        ...example.dimensions[0],
        criteria: [
          {
            ...c1,
            knockout: undefined,
            answer: { type: 'choice', options: [{ code: 'near', score: 0.7999996 }] },
          },
        ],
      },
    ],
  });
  const res = await api({
    method: 'POST',
    url: `/v1/grids/${grid.id}/evaluate`,
    body: { answers: [{ criterion: 'c1', value: 'near' }] },
  });
  t.equal(res.statusCode, 200, res.body);
  // 79.99996 reads 80, yet it is below category A's 80: the category comes from 79.99996.
  t.match(res.json(), {
    score: 80,
    category: 'D',
    nextCategory: 'A',
    pointsToNext: 0,
    gaps: [{ criterion: 'c1', score: 0.8, potentialPoints: 20 }],
  });
});
