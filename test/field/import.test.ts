import t from 'tap';
import { newMember } from '../assessments/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const GRID = '01936000-0000-7000-8000-000000000001';

/** A Kobo API v2 record of the default grid's form: `/` group paths, every value a string. */
function koboRecord(memberRef: string, extra: Record<string, string> = {}) {
  return {
    _id: 401,
    _uuid: 'b1d6cbb4-0d3e-4f5e-9a55-1e2b3c4d5e6f',
    'meta/instanceID': 'uuid:b1d6cbb4-0d3e-4f5e-9a55-1e2b3c4d5e6f',
    _submission_time: '2025-03-04T09:15:00',
    _submitted_by: 'enumerator1',
    'identity/member_ref': memberRef,
    'identity/member_type': 'cooperative',
    'identity/product_chapters': 'hs_0910',
    'identity/assessed_on': '2025-03-03',
    'identity/assessor_name': 'Fatima Zahra',
    'd_legal/c_leg_registration': 'yes',
    'd_legal/c_leg_tax': 'no',
    'd_legal/c_leg_coop_governance': '2',
    'd_legal/c_leg_trademark': 'morocco',
    'd_production/c_prd_capacity': '30',
    'd_production/c_prd_lead_time': '',
    ...extra,
  };
}

async function setup(t: Teardown) {
  const app = await startTestApp(t);
  const fenip = await app.keyFor('partner', 'FENIP');
  const member = await newMember(app.api, 'FENIP', {
    externalRef: 'COOP-17',
    ice: '002284350000097',
  });
  const other = await newMember(app.api, 'AMITH', {
    externalRef: 'AM-1',
    name: 'Tissage Atlas',
    type: 'company',
    products: [{ hsCode: '520812' }],
  });
  const post = (body: unknown, key = fenip) =>
    app.api({ method: 'POST', url: '/v1/assessments/import', body, key });
  return { ...app, fenip, member, other, post };
}

type Teardown = Parameters<typeof startTestApp>[0];

async function evaluate(
  api: TestApp['api'],
  answers: unknown[],
  memberType: string,
  hsCodes: string[],
) {
  const res = await api({
    method: 'POST',
    url: `/v1/grids/${GRID}/evaluate`,
    body: { answers, memberType, hsCodes },
  });
  return res.json();
}

t.test('a Kobo record becomes a submitted assessment scored as evaluate scores it', async (t) => {
  const { api, member, post, fenip } = await setup(t);
  const res = await post({ gridId: GRID, format: 'kobo', submissions: [koboRecord('COOP-17')] });
  t.equal(res.statusCode, 200, res.body);
  const summary = res.json();
  t.match(summary, {
    dryRun: false,
    created: 1,
    failed: 0,
    results: [{ index: 0, status: 'created' }],
  });
  const id = summary.results[0].id;
  const stored = (await api({ method: 'GET', url: `/v1/assessments/${id}`, key: fenip })).json();
  t.equal(stored.status, 'submitted');
  t.equal(stored.memberId, member.id);
  t.equal(stored.assessedOn, '2025-03-03');
  t.same(stored.assessor, { name: 'Fatima Zahra' });
  t.equal(stored.submissionId, 'kobo:b1d6cbb4-0d3e-4f5e-9a55-1e2b3c4d5e6f');
  const expected = [
    { criterion: 'LEG_REGISTRATION', value: true },
    { criterion: 'LEG_TAX', value: false },
    { criterion: 'LEG_TRADEMARK', value: 'morocco' },
    { criterion: 'LEG_COOP_GOVERNANCE', value: 2 },
    { criterion: 'PRD_CAPACITY', value: 30 },
  ];
  t.same(stored.answers, expected, 'blank c_prd_lead_time is unanswered, not 0');
  t.same(stored.result, await evaluate(api, expected, 'cooperative', ['091020']));

  const again = await post({ gridId: GRID, format: 'kobo', submissions: [koboRecord('COOP-17')] });
  t.equal(again.statusCode, 200);
  t.match(again.json(), { unchanged: 1, results: [{ status: 'unchanged', id }] });

  // Edited in Kobo: a new _uuid, the first one kept as meta/rootUuid, an answer changed.
  const edited = koboRecord('COOP-17', {
    _uuid: '0c9e5a77-1111-4222-8333-944455556666',
    'meta/rootUuid': 'uuid:b1d6cbb4-0d3e-4f5e-9a55-1e2b3c4d5e6f',
    'd_legal/c_leg_tax': 'yes',
  });
  const conflict = await post({ gridId: GRID, format: 'kobo', submissions: [edited] });
  t.equal(conflict.statusCode, 409, 'no row applied, every failure a conflict');
  t.match(conflict.headers['content-type'], /application\/problem\+json/);
  const failed = conflict.json();
  t.equal(failed.failed, 1);
  t.match(
    failed.results[0].errors[0].message,
    /imported already as assessment .*LEG_TAX.*never changes/,
  );
  const list = await api({
    method: 'GET',
    url: `/v1/assessments?memberId=${member.id}`,
    key: fenip,
  });
  t.equal(list.json().data.length, 1, 'nothing new written');
});

t.test(
  'an ODK Central record: nested groups, typed numbers, __id, the day of submission',
  async (t) => {
    const { api, post, fenip } = await setup(t);
    const record = {
      __id: 'uuid:6f1f7a0e-2b8c-4d3e-9f10-112233445566',
      __system: { submissionDate: '2025-02-10T23:30:00.000Z', submitterName: 'Central user' },
      meta: { instanceID: 'uuid:6f1f7a0e-2b8c-4d3e-9f10-112233445566' },
      identity: { member_ref: '002284350000097', member_type: 'cooperative', assessed_on: null },
      d_legal: { c_leg_registration: 'yes', c_leg_coop_governance: '3' },
      d_production: { c_prd_capacity: 12.5, c_prd_supply: null },
      d_quality: { c_qlt_onssa: 'no' },
    };
    const res = await post({ gridId: GRID, format: 'odk', submissions: [record] });
    t.equal(res.statusCode, 200, res.body);
    const id = res.json().results[0].id;
    const stored = (await api({ method: 'GET', url: `/v1/assessments/${id}`, key: fenip })).json();
    t.equal(stored.assessedOn, '2025-02-10', 'no form date: the UTC day of submission');
    t.same(stored.assessor, { name: 'Central user' });
    t.equal(stored.submissionId, 'odk:6f1f7a0e-2b8c-4d3e-9f10-112233445566');
    t.same(stored.answers, [
      { criterion: 'LEG_REGISTRATION', value: true },
      { criterion: 'LEG_COOP_GOVERNANCE', value: 3 },
      { criterion: 'PRD_CAPACITY', value: 12.5 },
      { criterion: 'QLT_ONSSA', value: false },
    ]);
    t.same(stored.result, await evaluate(api, stored.answers, 'cooperative', ['091020']));
    const again = await post({ gridId: GRID, format: 'odk', submissions: [record] });
    t.match(again.json(), { unchanged: 1 });
  },
);

t.test('rows fail alone, each with its reasons; dry run writes nothing', async (t) => {
  const { api, post, other, member } = await setup(t);
  const res = await post({
    gridId: GRID,
    format: 'kobo',
    dryRun: true,
    submissions: [
      koboRecord('COOP-17'),
      koboRecord('AM-1', { _uuid: 'aaaaaaaa-0000-4000-8000-000000000001' }),
      koboRecord(other.id, { _uuid: 'aaaaaaaa-0000-4000-8000-000000000002' }),
      koboRecord('COOP-17', {
        _uuid: 'aaaaaaaa-0000-4000-8000-000000000003',
        'd_legal/c_leg_tax': 'maybe',
        'd_production/c_prd_capacity': 'thirty',
        'identity/assessed_on': '2999-01-01',
      }),
      koboRecord('COOP-17', { _uuid: '', 'meta/rootUuid': '' }),
      koboRecord('COOP-17', {
        _uuid: 'aaaaaaaa-0000-4000-8000-000000000004',
        'identity/member_type': 'company',
      }),
      koboRecord('COOP-17'),
    ],
  });
  t.equal(res.statusCode, 200, res.body);
  const { results, created, failed } = res.json();
  t.equal(created, 1);
  t.equal(failed, 6);
  t.same(results[0], { index: 0, status: 'created' });
  t.match(results[1].errors, [
    { pointer: '/submissions/1/identity~1member_ref', message: /no member "AM-1"/ },
  ]);
  t.match(results[2].errors, [{ message: /no member/ }], "another partner's member is not found");
  t.match(results[3].errors, [
    { pointer: '/submissions/3/identity~1assessed_on', message: 'is in the future' },
  ]);
  t.same(
    results[3].errors.map((e: { pointer: string }) => e.pointer),
    [
      '/submissions/3/identity~1assessed_on',
      '/submissions/3/d_legal~1c_leg_tax',
      '/submissions/3/d_production~1c_prd_capacity',
    ],
    'every problem of the row at once',
  );
  t.match(results[4].errors, [{ message: /no submission id/ }]);
  t.match(results[5].errors, [
    { message: /member_type is company but member .* is a cooperative/ },
  ]);
  t.match(results[6].errors, [{ message: /repeats the submission of row 0/ }]);
  const list = await api({ method: 'GET', url: `/v1/assessments?memberId=${member.id}` });
  t.equal(list.json().data.length, 0, 'dry run: nothing written');
  const invalid = await post({
    gridId: GRID,
    format: 'kobo',
    submissions: [koboRecord('COOP-17', { 'd_legal/c_leg_tax': 'maybe' })],
  });
  t.equal(invalid.statusCode, 422, 'no row applied, an invalid row');
  t.match(invalid.json(), { failed: 1, results: [{ status: 'failed' }] });
});

t.test('the grid must exist and be published; reporting keys cannot import', async (t) => {
  const { api, post, keyFor } = await setup(t);
  const missing = await post({
    gridId: '01936000-0000-7000-8000-00000000ffff',
    format: 'kobo',
    submissions: [{}],
  });
  t.equal(missing.statusCode, 404);
  const draft = await api({ method: 'POST', url: `/v1/grids/${GRID}/versions` });
  const res = await post({ gridId: draft.json().id, format: 'kobo', submissions: [{}] });
  t.equal(res.statusCode, 409);
  const reporting = await post(
    { gridId: GRID, format: 'kobo', submissions: [{}] },
    await keyFor('reporting'),
  );
  t.equal(reporting.statusCode, 403);
  const malformed = await post({ gridId: GRID, format: 'csv', submissions: [] });
  t.equal(malformed.statusCode, 400);
});
