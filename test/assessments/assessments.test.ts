import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import {
  EXAMPLE_SCORE,
  exampleAnswers,
  exampleGridBody,
  newMember,
  publishedGrid,
} from './fixtures.js';

const { api, keyFor } = await startTestApp(t);
const fenip = await keyFor('partner', 'FENIP');
const amith = await keyFor('partner', 'AMITH');
const reporting = await keyFor('reporting');
const grid = await publishedGrid(api, exampleGridBody());
const assessor = { name: 'Salma Idrissi', organisation: 'FENIP' };
const pointers = (res: { json(): { errors: { pointer: string }[] } }) =>
  res
    .json()
    .errors.map((e) => e.pointer)
    .sort();

t.test('worked example through a real member: submitted at once', async (t) => {
  const member = await newMember(api, 'FENIP', { type: 'company', products: [] });
  const res = await api({
    method: 'POST',
    url: '/v1/assessments',
    key: fenip,
    body: {
      memberId: member.id,
      gridId: grid.id,
      assessedOn: '2025-03-10',
      assessor,
      answers: exampleAnswers(true),
      submit: true,
    },
  });
  t.equal(res.statusCode, 201, res.body);
  const a = res.json();
  t.match(a, {
    memberId: member.id,
    partnerCode: 'FENIP',
    gridId: grid.id,
    gridCode: 'EXAMPLE',
    gridVersion: 1,
    status: 'submitted',
    category: 'B',
    assessedOn: '2025-03-10',
    rescoredFrom: null,
  });
  // Answered rounded to 4 decimals: 70.8333333… reads 70.8333.
  t.equal(a.score, Number(EXAMPLE_SCORE.toFixed(4)));
  t.equal(a.result.score, 70.8333);
  t.equal(a.result.category, 'B');
  t.ok(a.submittedAt);

  const read = await api({ method: 'GET', url: `/v1/members/${member.id}`, key: fenip });
  t.equal(read.json().readiness, 'B');
  const listed = await api({ method: 'GET', url: '/v1/members?category=B' });
  t.same(
    listed.json().data.map((m: { id: string }) => m.id),
    [member.id],
  );
  const none = await api({ method: 'GET', url: '/v1/members?category=A' });
  t.same(none.json().data, []);
});

t.test('draft → patch (If-Match) → submit → second submit 409', async (t) => {
  const member = await newMember(api, 'FENIP', { type: 'gie', name: 'GIE Pêcheurs' });
  const created = await api({
    method: 'POST',
    url: '/v1/assessments',
    key: fenip,
    body: {
      memberId: member.id,
      gridId: grid.id,
      assessedOn: '2025-04-01',
      assessor,
      answers: [{ criterion: 'c1', value: false, comment: 'no ICE yet' }],
    },
  });
  t.equal(created.statusCode, 201, created.body);
  const draft = created.json();
  t.match(draft, { status: 'draft', result: null, score: null, category: null, version: 1 });
  t.equal(created.headers.etag, '"1"');
  const url = `/v1/assessments/${draft.id}`;

  const patch = { answers: exampleAnswers(false), assessor: { organisation: null } };
  t.equal((await api({ method: 'PATCH', url, key: fenip, body: patch })).statusCode, 428);
  t.equal(
    (await api({ method: 'PATCH', url, key: fenip, body: patch, headers: { 'if-match': '"5"' } }))
      .statusCode,
    412,
  );
  const badPatch = await api({
    method: 'PATCH',
    url,
    key: fenip,
    body: { assessedOn: '2098-01-01', answers: [{ criterion: 'c2', value: 9 }] },
    headers: { 'if-match': '"1"' },
  });
  t.equal(badPatch.statusCode, 400);
  t.same(pointers(badPatch), ['/answers/0/value', '/assessedOn']);
  const patched = await api({
    method: 'PATCH',
    url,
    key: fenip,
    body: patch,
    headers: { 'if-match': '"1"', 'content-type': 'application/merge-patch+json' },
  });
  t.equal(patched.statusCode, 200, patched.body);
  t.match(patched.json(), { version: 2, assessor: { name: 'Salma Idrissi' }, status: 'draft' });
  t.notOk('organisation' in patched.json().assessor);
  t.equal(patched.json().answers.length, 3);

  const submitted = await api({ method: 'POST', url: `${url}/submit`, key: fenip });
  t.equal(submitted.statusCode, 200, submitted.body);
  t.match(submitted.json(), { status: 'submitted', category: 'C' });
  t.equal(submitted.json().result.score, 54.1667);
  t.same(submitted.json().result.knockouts, [{ criterion: 'c1', cap: 'C' }]);

  const again = await api({ method: 'POST', url: `${url}/submit`, key: fenip });
  t.equal(again.statusCode, 409);
  const frozen = await api({
    method: 'PATCH',
    url,
    key: fenip,
    body: { assessedOn: '2025-04-02' },
    headers: { 'if-match': `"${submitted.json().version}"` },
  });
  t.equal(frozen.statusCode, 409);

  const audit = await api({
    method: 'GET',
    url: `/v1/audit-events?entity=assessment&entityId=${draft.id}`,
  });
  t.same(
    audit
      .json()
      .data.map((e: { action: string }) => e.action)
      .sort(),
    ['created', 'submitted', 'updated'],
  );
});

t.test('an incomplete submission is a result: INCOMPLETE', async (t) => {
  const member = await newMember(api, 'FENIP', { name: 'Incomplete' });
  const res = await api({
    method: 'POST',
    url: '/v1/assessments',
    body: {
      memberId: member.id,
      gridId: grid.id,
      assessedOn: '2025-01-01',
      assessor,
      answers: [{ criterion: 'c2', value: 4 }],
      submit: true,
    },
  });
  t.equal(res.statusCode, 201, res.body);
  t.match(res.json(), { status: 'submitted', category: 'INCOMPLETE' });
  t.same(res.json().result.missingKnockouts, ['c1']);
  const read = await api({ method: 'GET', url: `/v1/members/${member.id}` });
  t.equal(read.json().readiness, 'INCOMPLETE');
});

t.test('concurrent submits: exactly one succeeds', async (t) => {
  const member = await newMember(api, 'FENIP', { name: 'Concurrent' });
  const draft = await api({
    method: 'POST',
    url: '/v1/assessments',
    body: {
      memberId: member.id,
      gridId: grid.id,
      assessedOn: '2025-02-02',
      assessor,
      answers: exampleAnswers(true),
    },
  });
  const id = draft.json().id;
  const results = await Promise.all(
    Array.from({ length: 5 }, () => api({ method: 'POST', url: `/v1/assessments/${id}/submit` })),
  );
  t.same(results.map((r) => r.statusCode).sort(), [200, 409, 409, 409, 409]);
  const audit = await api({
    method: 'GET',
    url: `/v1/audit-events?entity=assessment&entityId=${id}&action=submitted`,
  });
  t.equal(audit.json().data.length, 1);
  const history = await api({ method: 'GET', url: `/v1/members/${member.id}/readiness` });
  t.equal(history.json().history.length, 1);
});

t.test('validation: every problem of the answers listed with pointers', async (t) => {
  const member = await newMember(api, 'FENIP', { name: 'Validation' });
  const res = await api({
    method: 'POST',
    url: '/v1/assessments',
    body: {
      memberId: member.id,
      gridId: grid.id,
      assessedOn: '2098-12-31',
      assessor,
      answers: [
        { criterion: 'zz', value: true },
        { criterion: 'c1', value: 'yes' },
        { criterion: 'c2', value: 2.5 },
        { criterion: 'c2', value: 1 },
        { criterion: 'c3', value: 'q' },
        { criterion: 'c1', notApplicable: true },
      ],
    },
  });
  t.equal(res.statusCode, 400);
  t.equal(res.json().type, 'urn:jahiz:problem:validation');
  t.same(pointers(res), [
    '/answers/0/criterion',
    '/answers/1/value',
    '/answers/2/value',
    '/answers/3/criterion',
    '/answers/4/value',
    '/answers/5/criterion',
    '/assessedOn',
  ]);
  const na = await api({
    method: 'POST',
    url: '/v1/assessments',
    body: {
      memberId: member.id,
      gridId: grid.id,
      assessedOn: '2025-01-01',
      assessor,
      answers: [{ criterion: 'c2', notApplicable: true }],
    },
  });
  t.same(pointers(na), ['/answers/0/notApplicable']);
  const shape = await api({
    method: 'POST',
    url: '/v1/assessments',
    body: { memberId: member.id, gridId: grid.id, assessedOn: '2025-02-30', answers: [] },
  });
  t.equal(shape.statusCode, 400);
  t.same(pointers(shape), ['/assessedOn', '/assessor']);
});

t.test('grid and member states', async (t) => {
  const member = await newMember(api, 'FENIP', { name: 'States' });
  const body = (gridId: string, memberId = member.id) => ({
    memberId,
    gridId,
    assessedOn: '2025-01-01',
    assessor,
    answers: [],
  });
  const draftGrid = (
    await api({ method: 'POST', url: '/v1/grids', body: exampleGridBody('DRAFTY') })
  ).json();
  const onDraft = await api({ method: 'POST', url: '/v1/assessments', body: body(draftGrid.id) });
  t.equal(onDraft.statusCode, 409);
  t.equal(onDraft.json().type, 'urn:jahiz:problem:grid-status');

  const retiring = await publishedGrid(api, exampleGridBody('RETIRING'));
  const early = await api({ method: 'POST', url: '/v1/assessments', body: body(retiring.id) });
  t.equal(early.statusCode, 201);
  await api({ method: 'POST', url: `/v1/grids/${retiring.id}/retire` });
  const late = await api({ method: 'POST', url: '/v1/assessments', body: body(retiring.id) });
  t.equal(late.statusCode, 409);
  // A draft started before the retirement may still be completed.
  const finished = await api({ method: 'POST', url: `/v1/assessments/${early.json().id}/submit` });
  t.equal(finished.statusCode, 200, finished.body);

  const gone = await newMember(api, 'FENIP', { name: 'Withdrawn' });
  await api({ method: 'DELETE', url: `/v1/members/${gone.id}`, headers: { 'if-match': '"1"' } });
  const onWithdrawn = await api({
    method: 'POST',
    url: '/v1/assessments',
    body: body(grid.id, gone.id),
  });
  t.equal(onWithdrawn.statusCode, 409);
  t.equal(onWithdrawn.json().type, 'urn:jahiz:problem:member-not-active');
  const unknownGrid = await api({
    method: 'POST',
    url: '/v1/assessments',
    body: body('01936000-0000-7000-8000-0000000000ff'),
  });
  t.equal(unknownGrid.statusCode, 404);
});

t.test('tenancy: other partners see nothing; reporting may not', async (t) => {
  const member = await newMember(api, 'FENIP', { name: 'Tenancy' });
  const body = {
    memberId: member.id,
    gridId: grid.id,
    assessedOn: '2025-01-01',
    assessor,
    answers: exampleAnswers(true),
  };
  const other = await api({ method: 'POST', url: '/v1/assessments', key: amith, body });
  t.equal(other.statusCode, 404);
  t.equal(
    (await api({ method: 'POST', url: '/v1/assessments', key: reporting, body })).statusCode,
    403,
  );
  const own = (await api({ method: 'POST', url: '/v1/assessments', key: fenip, body })).json();
  const url = `/v1/assessments/${own.id}`;
  t.equal((await api({ method: 'GET', url, key: amith })).statusCode, 404);
  t.equal((await api({ method: 'GET', url, key: fenip })).statusCode, 200);
  t.equal((await api({ method: 'GET', url, key: reporting })).statusCode, 403);
  t.equal((await api({ method: 'POST', url: `${url}/submit`, key: amith })).statusCode, 404);
  t.equal((await api({ method: 'POST', url: `${url}/submit`, key: reporting })).statusCode, 403);
  t.equal(
    (
      await api({
        method: 'PATCH',
        url,
        key: amith,
        body: { answers: [] },
        headers: { 'if-match': '"1"' },
      })
    ).statusCode,
    404,
  );
  t.equal(
    (await api({ method: 'GET', url: `/v1/members/${member.id}/readiness`, key: amith }))
      .statusCode,
    404,
  );
  const amithList = await api({ method: 'GET', url: '/v1/assessments', key: amith });
  t.same(amithList.json().data, []);
  const fenipList = await api({
    method: 'GET',
    url: `/v1/assessments?memberId=${member.id}`,
    key: fenip,
  });
  t.same(
    fenipList.json().data.map((a: { id: string }) => a.id),
    [own.id],
  );
});

t.test('list filters and paging', async (t) => {
  const all = await api({ method: 'GET', url: `/v1/assessments?gridId=${grid.id}&limit=100` });
  t.equal(all.statusCode, 200);
  const rows = all.json().data as { id: string; status: string; category: string | null }[];
  t.equal(rows.length, 5);
  const submitted = await api({
    method: 'GET',
    url: `/v1/assessments?gridId=${grid.id}&status=submitted&limit=100`,
  });
  t.same(
    submitted.json().data.map((a: { id: string }) => a.id),
    rows.filter((r) => r.status === 'submitted').map((r) => r.id),
  );
  const b = await api({ method: 'GET', url: '/v1/assessments?category=B&limit=100' });
  t.ok(b.json().data.length >= 2);
  t.ok(b.json().data.every((a: { category: string }) => a.category === 'B'));
  const page1 = await api({ method: 'GET', url: `/v1/assessments?gridId=${grid.id}&limit=2` });
  const page2 = await api({
    method: 'GET',
    url: `/v1/assessments?gridId=${grid.id}&limit=2&cursor=${page1.json().nextCursor}`,
  });
  t.same(
    [...page1.json().data, ...page2.json().data].map((a: { id: string }) => a.id),
    rows.slice(0, 4).map((r) => r.id),
  );
  const fenipOnly = await api({ method: 'GET', url: '/v1/assessments?partner=AMITH' });
  t.same(fenipOnly.json().data, []);
  t.equal((await api({ method: 'GET', url: '/v1/assessments?cursor=zzz' })).statusCode, 400);
});
