import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import {
  defaultGridId,
  exampleAnswers,
  exampleGridBody,
  newMember,
  publishedGrid,
} from './fixtures.js';

const { api, keyFor } = await startTestApp(t);
const fenip = await keyFor('partner', 'FENIP');
const assessor = { name: 'Youssef Amrani' };

async function assess(
  memberId: string,
  gridId: string,
  assessedOn: string,
  answers: unknown[],
  submit = true,
) {
  const res = await api({
    method: 'POST',
    url: '/v1/assessments',
    body: { memberId, gridId, assessedOn, assessor, answers, submit },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json();
}

t.test('default grid, saffron cooperative (HS 091020): hand-computed result', async (t) => {
  const member = await newMember(api, 'FENIP');
  const gridId = await defaultGridId(api);
  const answers = [
    // LEGAL (15): w 3,2,[2 n/a],1,1,1
    { criterion: 'LEG_REGISTRATION', value: true },
    { criterion: 'LEG_TAX', value: true },
    { criterion: 'LEG_CNSS', notApplicable: true, comment: 'no employees' },
    { criterion: 'LEG_CUSTOMS', value: false },
    { criterion: 'LEG_TRADEMARK', value: 'morocco' },
    { criterion: 'LEG_COOP_GOVERNANCE', value: 3 },
    // PRODUCTION (15): w 3,2,2,2,1
    { criterion: 'PRD_CAPACITY', value: 30 },
    { criterion: 'PRD_SUPPLY', value: 2 },
    { criterion: 'PRD_PROCESS', value: 4 },
    { criterion: 'PRD_PACKAGING', value: 'export' },
    { criterion: 'PRD_LEAD_TIME', value: 45 },
    // QUALITY (20): w 3,2,2,2; EACCE and EU approval do not apply to chapter 09
    { criterion: 'QLT_ONSSA', value: true },
    { criterion: 'QLT_FOOD_SAFETY', value: 'haccp' },
    { criterion: 'QLT_QMS', value: 2 },
    { criterion: 'QLT_TRACEABILITY', value: true },
    { criterion: 'QLT_EACCE', value: true },
    { criterion: 'FSH_EU_APPROVAL', value: false },
    // CERTIFICATIONS (10): w 2,2,2 (origin, organic, saffron); textile does not apply
    { criterion: 'CRT_ORIGIN', value: 'known' },
    { criterion: 'CRT_ORGANIC', value: 'none' },
    { criterion: 'SAF_ISO3632', value: 'category1' },
    { criterion: 'TXT_CERTIFICATION', value: 'none' },
    // MANAGEMENT (15): w 2,2,2,2,2,1
    { criterion: 'MGT_EXPORT_PLAN', value: 2 },
    { criterion: 'MGT_EXPORT_STAFF', value: 'part_time' },
    { criterion: 'MGT_INCOTERMS', value: 3 },
    { criterion: 'MGT_EXPORT_PRICING', value: true },
    { criterion: 'MGT_FINANCE', value: 'bank' },
    { criterion: 'MGT_EXPORT_SHARE', value: 5 },
    // MARKET (15): w 3,2,2,2,1
    { criterion: 'MKT_RESEARCH', value: 3 },
    { criterion: 'MKT_TRADE_FAIRS', value: 1 },
    { criterion: 'MKT_SALES_MATERIALS', value: 'french' },
    { criterion: 'MKT_BUYERS', value: 0 },
    { criterion: 'MKT_BRAND_STORY', value: 3 },
    // DIGITAL (10): w 2,[1 unanswered],2,2
    { criterion: 'DIG_ONLINE', value: 'social' },
    { criterion: 'SUS_ENVIRONMENT', value: 1 },
    { criterion: 'SUS_SOCIAL', value: false },
  ];
  const a = await assess(member.id, gridId, '2025-05-20', answers);
  const S = {
    LEGAL: (3 * 1 + 2 * 1 + 1 * 0 + 1 * 0.6 + 1 * 1) / 8, // 0.825
    PRODUCTION: (3 * 0.7 + 2 * 0.5 + 2 * 1 + 2 * 0.7 + 1 * 0.7) / 10, // 0.72
    QUALITY: (3 * 1 + 2 * 0.5 + 2 * 0.5 + 2 * 1) / 9, // 7/9
    CERTIFICATIONS: (2 * 0.5 + 2 * 0 + 2 * 1) / 6, // 0.5
    MANAGEMENT: (2 * 0.5 + 2 * 0.5 + 2 * 1 + 2 * 1 + 2 * 0.5 + 1 * 0.3) / 11, // 7.3/11
    MARKET: (3 * 0.75 + 2 * 0.5 + 2 * 0.5 + 2 * 0 + 1 * 1) / 10, // 0.525
    DIGITAL: (2 * 0.4 + 2 * 0.25 + 2 * 0) / 6, // 1.3/6
  };
  const expected =
    (15 * S.LEGAL +
      15 * S.PRODUCTION +
      20 * S.QUALITY +
      10 * S.CERTIFICATIONS +
      15 * S.MANAGEMENT +
      15 * S.MARKET +
      10 * S.DIGITAL) /
    100;
  const r = a.result;
  // Every number answered rounded to 4 decimals, each from the unrounded value.
  const four = (x: number) => Number(x.toFixed(4));
  t.equal(r.score, four(100 * expected));
  t.equal(r.score, 63.7268);
  t.equal(r.coverage, four(1 - (10 / 100) * (1 / 7)));
  t.equal(r.category, 'B');
  t.equal(r.baseCategory, 'B');
  t.same(r.knockouts, []);
  t.same(r.unanswered, ['DIG_TOOLS']);
  t.same(r.notApplicable, [
    { criterion: 'LEG_CNSS', reason: 'answered' },
    { criterion: 'QLT_EACCE', reason: 'appliesTo' },
    { criterion: 'FSH_EU_APPROVAL', reason: 'appliesTo' },
    { criterion: 'TXT_CERTIFICATION', reason: 'appliesTo' },
    { criterion: 'FSH_SUSTAINABLE', reason: 'appliesTo' },
  ]);
  for (const d of r.dimensions) {
    t.equal(d.score, four(S[d.code as keyof typeof S]), d.code);
  }
  t.equal(r.pointsToNext, four(80 - 100 * expected));
});

t.test('readiness: current by assessedOn, history oldest first', async (t) => {
  const grid = await publishedGrid(api, exampleGridBody('READY'));
  const member = await newMember(api, 'FENIP', { name: 'Readiness' });
  const url = `/v1/members/${member.id}/readiness`;
  const empty = await api({ method: 'GET', url, key: fenip });
  t.same(empty.json(), { current: null, history: [] });

  const march = await assess(member.id, grid.id, '2025-03-01', exampleAnswers(true)); // B
  const june = await assess(member.id, grid.id, '2025-06-01', exampleAnswers(false)); // C
  // Submitted last, assessed first: history, but not current.
  const january = await assess(member.id, grid.id, '2025-01-01', [
    { criterion: 'c1', value: true },
    { criterion: 'c2', value: 4 },
    { criterion: 'c3', value: 'x' },
  ]); // A
  t.equal(january.category, 'A');
  const res = await api({ method: 'GET', url, key: fenip });
  t.equal(res.statusCode, 200);
  const readiness = res.json();
  t.same(readiness.current, {
    assessmentId: june.id,
    assessedOn: '2025-06-01',
    category: 'C',
    score: 54.1667,
    // The current assessment's gaps, as GET /v1/assessments/{id} serves them: no second call.
    gaps: june.result.gaps,
  });
  const [knockout, ...others] = readiness.current.gaps;
  t.match(knockout, { criterion: 'c1', knockout: true, cap: 'C', score: 0 });
  t.ok(knockout.recommendation.fr && knockout.recommendation.en, 'with its recommendation');
  t.ok(others.length > 0, 'answered criteria below 1 follow the knock-out');
  for (const gap of readiness.current.gaps)
    t.equal(gap.potentialPoints, Number(gap.potentialPoints.toFixed(4)), 'rounded to 4 decimals');
  t.same(
    readiness.history.map((h: { assessmentId: string; category: string }) => [
      h.assessmentId,
      h.category,
    ]),
    [
      [january.id, 'A'],
      [march.id, 'B'],
      [june.id, 'C'],
    ],
  );
  t.match(readiness.history[0], { gridCode: 'READY', gridVersion: 1, rescoredFrom: null });
  t.ok(readiness.history[0].submittedAt > readiness.history[2].submittedAt);

  const memberNow = (await api({ method: 'GET', url: `/v1/members/${member.id}` })).json();
  t.equal(memberNow.readiness, 'C');
  const byC = await api({ method: 'GET', url: '/v1/members?category=C&limit=100' });
  t.ok(byC.json().data.some((m: { id: string }) => m.id === member.id));
  const byA = await api({ method: 'GET', url: '/v1/members?category=A&limit=100' });
  t.notOk(byA.json().data.some((m: { id: string }) => m.id === member.id));

  // Same day, submitted later: the later submission is current. A draft changes nothing.
  const sameDay = await assess(member.id, grid.id, '2025-06-01', exampleAnswers(true));
  await assess(member.id, grid.id, '2025-12-01', [], false);
  const after = (await api({ method: 'GET', url })).json();
  t.equal(after.current.assessmentId, sameDay.id);
  t.equal(after.current.category, 'B');
  t.equal(after.history.length, 4);
  t.equal((await api({ method: 'GET', url: `/v1/members/${member.id}` })).json().readiness, 'B');
});

t.test('re-scoring on another version keeps the old result byte-identical', async (t) => {
  const v1 = await publishedGrid(api, exampleGridBody('RESCORE'));
  const member = await newMember(api, 'FENIP', { name: 'Rescore' });
  const original = await assess(member.id, v1.id, '2025-02-01', [...exampleAnswers(true)]);
  const before = await api({ method: 'GET', url: `/v1/assessments/${original.id}` });

  // Version 2: c3 removed, c2 on a 0–2 scale (the answer 3 no longer fits), new criterion c4.
  const draft = (await api({ method: 'POST', url: `/v1/grids/${v1.id}/versions` })).json();
  const body = exampleGridBody('RESCORE');
  body.dimensions[0]!.criteria[1]!.answer = { type: 'scale', maxLevel: 2 };
  body.dimensions[1]!.criteria = [
    {
      code: 'c4',
      title: { fr: 'c4', en: 'c4' },
      weight: 1,
      answer: { type: 'boolean' },
      recommendation: { fr: 'c4', en: 'c4' },
    },
  ];
  const put = await api({
    method: 'PUT',
    url: `/v1/grids/${draft.id}`,
    body,
    headers: { 'if-match': '"1"' },
  });
  t.equal(put.statusCode, 200, put.body);
  const early = await api({
    method: 'POST',
    url: `/v1/assessments/${original.id}/rescore`,
    body: { gridId: draft.id },
  });
  t.equal(early.statusCode, 409, 'a draft version cannot be used');
  await api({ method: 'POST', url: `/v1/grids/${draft.id}/publish` });

  const res = await api({
    method: 'POST',
    url: `/v1/assessments/${original.id}/rescore`,
    body: { gridId: draft.id },
  });
  t.equal(res.statusCode, 201, res.body);
  const rescored = res.json();
  t.match(rescored, {
    rescoredFrom: original.id,
    gridId: draft.id,
    gridVersion: 2,
    status: 'submitted',
    assessedOn: '2025-02-01',
    memberId: member.id,
    assessor,
  });
  t.same(rescored.droppedAnswers, [
    { criterion: 'c2', reason: 'criterion "c2": must be an integer level from 0 to 2' },
    { criterion: 'c3', reason: 'unknown criterion "c3"' },
  ]);
  t.same(
    rescored.answers.map((a: { criterion: string }) => a.criterion),
    ['c1'],
  );
  // D1 = c1 alone = 1; c2 and c4 unanswered → coverage (2/3)·(1/4) < 0.8 → INCOMPLETE.
  t.equal(rescored.result.score, 100);
  t.equal(rescored.result.coverage, 0.1667);
  t.equal(rescored.category, 'INCOMPLETE');

  const after = await api({ method: 'GET', url: `/v1/assessments/${original.id}` });
  t.equal(after.body, before.body);
  t.equal(after.headers.etag, before.headers.etag);

  const readiness = (
    await api({ method: 'GET', url: `/v1/members/${member.id}/readiness` })
  ).json();
  t.equal(readiness.current.assessmentId, rescored.id);
  t.same(
    readiness.history.map((h: { rescoredFrom: string | null }) => h.rescoredFrom),
    [null, original.id],
  );

  const other = await publishedGrid(api, exampleGridBody('OTHER-CODE'));
  const wrongCode = await api({
    method: 'POST',
    url: `/v1/assessments/${original.id}/rescore`,
    body: { gridId: other.id },
  });
  t.equal(wrongCode.statusCode, 400);
  t.same(
    wrongCode.json().errors.map((e: { pointer: string }) => e.pointer),
    ['/gridId'],
  );
  const same = await api({
    method: 'POST',
    url: `/v1/assessments/${original.id}/rescore`,
    body: { gridId: v1.id },
  });
  t.equal(same.statusCode, 400);
  const partner = await api({
    method: 'POST',
    url: `/v1/assessments/${original.id}/rescore`,
    body: { gridId: draft.id },
    key: fenip,
  });
  t.equal(partner.statusCode, 403);
  const drafted = await assess(member.id, v1.id, '2025-02-02', [], false);
  const ofDraft = await api({
    method: 'POST',
    url: `/v1/assessments/${drafted.id}/rescore`,
    body: { gridId: draft.id },
  });
  t.equal(ofDraft.statusCode, 409);
  const audit = await api({
    method: 'GET',
    url: `/v1/audit-events?entity=assessment&entityId=${rescored.id}`,
  });
  t.same(
    audit.json().data.map((e: { action: string }) => e.action),
    ['rescored'],
  );
});
