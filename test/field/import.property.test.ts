/**
 * Grid → XLSForm → synthetic Kobo and ODK Central submissions → import → the same result as
 * `POST /v1/grids/{id}/evaluate` on the same answers, for random grids and answers. The
 * submissions are built from the workbook as read back (its groups, names and choices), not
 * from the service's own naming code.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import { type GridDefinition, MEMBER_TYPES } from '../../src/modules/grids/definition.js';
import type { Answer } from '../../src/modules/grids/scoring.js';
import { publishedGrid } from '../assessments/fixtures.js';
import { startTestApp } from '../helpers/app.js';
import { answersArb, awkwardGridArb, gridArb, HS_CODES } from '../helpers/grid-arbitraries.js';
import { readWorkbook, type Sheet } from './xlsform-lint.js';

const RUNS = {
  seed: Number(process.env.FC_SEED ?? 42),
  numRuns: Number(process.env.FC_RUNS ?? 12),
};
const EN = 'label::English (en)';

const caseArb = fc.oneof(gridArb, awkwardGridArb).chain((grid) =>
  fc.record({
    grid: fc.constant(grid),
    answers: answersArb(grid),
    type: fc.constantFrom(...MEMBER_TYPES),
    hsCodes: fc.subarray(HS_CODES, { minLength: 1 }),
    format: fc.constantFrom('kobo' as const, 'odk' as const),
    withDate: fc.boolean(),
    byRef: fc.boolean(),
  }),
);

type Format = 'kobo' | 'odk';

/** Where each answer goes in a record of the tool, found from the form's rows. */
function submission(
  survey: Sheet,
  choices: Sheet,
  grid: GridDefinition,
  answers: Answer[],
  format: Format,
  identity: Record<string, string>,
) {
  const criteria = grid.dimensions.flatMap((d) => d.criteria);
  const fields: { path: string[]; value: unknown }[] = [];
  const groups: string[] = [];
  let next = 0;
  survey.forEach((row, i) => {
    const name = row.name as string;
    const at = [...groups, name];
    if (row.type === 'begin_group') groups.push(name);
    else if (row.type === 'end_group') groups.pop();
    else if (identity[name] !== undefined) fields.push({ path: at, value: identity[name] });
    if (!name?.startsWith('c_')) return;
    // Criteria questions come in grid order.
    const criterion = criteria[next++]!;
    const answer = answers.find((a) => a.criterion === criterion.code);
    if (answer === undefined) {
      fields.push({ path: at, value: format === 'kobo' ? '' : null }); // a blank
      return;
    }
    const list = row.type?.startsWith('select_one ') ? row.type.slice(11) : undefined;
    const options = choices.filter((c) => c.list_name === list);
    if (answer.notApplicable) {
      if (list !== undefined) {
        const na = options.find((c) => c[EN] === 'Not applicable')!;
        fields.push({ path: at, value: na.name });
      } else {
        const naRow = survey[i - 1]!; // the "does it apply?" question before the decimal
        fields.push({ path: [...groups, naRow.name as string], value: 'na' });
      }
      return;
    }
    const v = answer.value;
    const value = typeof v === 'boolean' ? (v ? 'yes' : 'no') : format === 'kobo' ? String(v) : v;
    fields.push({ path: at, value });
  });
  if (next !== criteria.length) throw new Error('one question per criterion');
  if (format === 'kobo') {
    return Object.fromEntries(fields.map((f) => [f.path.join('/'), f.value]));
  }
  const record: Record<string, unknown> = {};
  for (const { path, value } of fields) {
    let node = record;
    for (const group of path.slice(0, -1)) {
      node[group] ??= {};
      node = node[group] as Record<string, unknown>;
    }
    node[path.at(-1)!] = value;
  }
  return record;
}

t.test('imported submissions score as evaluate scores the same answers', async (t) => {
  const { api, keyFor } = await startTestApp(t);
  const fenip = await keyFor('partner', 'FENIP');
  let run = 0;
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      run++;
      const grid = await publishedGrid(api, { ...c.grid, code: `P${run}` });
      const workbook = await api({ method: 'GET', url: `/v1/grids/${grid.id}/xlsform` });
      const form = await readWorkbook(workbook.rawPayload);
      const member = await api({
        method: 'POST',
        url: '/v1/members',
        key: fenip,
        body: {
          externalRef: `M-${run}`,
          type: c.type,
          name: `Membre ${run}`,
          region: 'MA-09',
          remoteArea: true,
          womenLed: true,
          products: c.hsCodes.map((hsCode) => ({ hsCode })),
          certifications: [],
          exportMarkets: [],
          targetMarkets: [],
          contacts: [],
        },
      });
      if (member.statusCode !== 201) throw new Error(member.body);
      const memberId = member.json().id;
      const identity: Record<string, string> = {
        member_ref: c.byRef ? `M-${run}` : memberId,
        member_type: c.type,
        assessor_name: 'Assessor',
        ...(c.withDate ? { assessed_on: '2025-05-06' } : {}),
      };
      const id = randomUUID();
      const record = {
        ...submission(form.survey, form.choices, c.grid, c.answers, c.format, identity),
        ...(c.format === 'kobo'
          ? { _uuid: id, _submission_time: '2025-05-07T10:00:00' }
          : { __id: `uuid:${id}`, __system: { submissionDate: '2025-05-07T10:00:00.000Z' } }),
      };
      const res = await api({
        method: 'POST',
        url: '/v1/assessments/import',
        key: fenip,
        body: { gridId: grid.id, format: c.format, submissions: [record] },
      });
      const row = res.json().results?.[0];
      if (res.statusCode !== 200 || row?.status !== 'created') throw new Error(res.body);
      const stored = (await api({ method: 'GET', url: `/v1/assessments/${row.id}` })).json();
      const expected = await api({
        method: 'POST',
        url: `/v1/grids/${grid.id}/evaluate`,
        body: { answers: c.answers, memberType: c.type, hsCodes: c.hsCodes },
      });
      t.same(stored.result, expected.json(), `run ${run}: result`);
      // In grid order, -0 written as 0: the answers themselves come back.
      const normal = (a: Answer) => (a.value === 0 ? { ...a, value: 0 } : a);
      const order = c.grid.dimensions.flatMap((d) => d.criteria.map((x) => x.code));
      const sorted = [...c.answers].sort(
        (a, b) => order.indexOf(a.criterion) - order.indexOf(b.criterion),
      );
      t.same(stored.answers, sorted.map(normal), `run ${run}: answers`);
      t.equal(stored.assessedOn, c.withDate ? '2025-05-06' : '2025-05-07');
      return true;
    }),
    RUNS,
  );
});
