// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}
import fc from 'fast-check';
import t from 'tap';
import { criterionBaseName, formNames } from '../../src/modules/field/form-names.js';
import { xlsFormWorkbook } from '../../src/modules/field/workbook.js';
import { gridXlsForm } from '../../src/modules/field/xlsform.js';
import { validateGridDefinition } from '../../src/modules/grids/definition.js';
import { startTestApp } from '../helpers/app.js';
import { exampleGridBody } from '../helpers/example-grid.js';
import { awkwardGridArb, gridArb } from '../helpers/grid-arbitraries.js';
import { lintForm, type ReadForm, readWorkbook } from './xlsform-lint.js';

const DEFAULT_GRID_ID = '01936000-0000-7000-8000-000000000001';
const RUNS = {
  seed: Number(process.env.FC_SEED ?? 42),
  numRuns: Number(process.env.FC_RUNS ?? 60),
};
const AR = 'label::العربية (ar)';

t.test('the name rule: c_ + lower case, runs of other characters as _', async (t) => {
  t.equal(criterionBaseName('LEG_REGISTRATION'), 'c_leg_registration');
  t.equal(criterionBaseName('A.1--b'), 'c_a_1_b');
  t.equal(criterionBaseName('-x-'), 'c__x_');
  const grid = exampleGridBody();
  grid.dimensions[0]!.criteria[0]!.code = 'A.1';
  grid.dimensions[0]!.criteria[1]!.code = 'a-1';
  grid.dimensions[1]!.criteria[0]!.code = 'a_1';
  const names = formNames(grid).criteria.map((c) => c.question);
  t.same(names, ['c_a_1', 'c_a_1_2', 'c_a_1_3'], 'collisions get _2, _3 in grid order');
});

t.test(
  'GET /v1/grids/{id}/xlsform: the default grid as a workbook pyxform would accept',
  async (t) => {
    const { api, keyFor } = await startTestApp(t);
    const res = await api({
      method: 'GET',
      url: `/v1/grids/${DEFAULT_GRID_ID}/xlsform`,
      key: await keyFor('partner', 'FENIP'),
    });
    t.equal(res.statusCode, 200);
    t.match(res.headers['content-type'], /spreadsheetml\.sheet/);
    t.match(res.headers['content-disposition'], /attachment; filename="jahiz_SIPPO-ERG_v1\.xlsx"/);
    const form = await readWorkbook(res.rawPayload);
    t.same(lintForm(form), [], 'no lint problem');
    t.same(form.sheets, ['survey', 'choices', 'settings']);
    t.same(form.settings, [
      {
        form_title: 'Grille de préparation à l’export SIPPO',
        form_id: 'jahiz_SIPPO-ERG',
        version: '1',
        default_language: 'Français (fr)',
        instance_name: "concat(${member_ref}, ' ', ${assessed_on})",
      },
    ]);
    const byName = new Map(form.survey.map((r) => [r.name, r]));
    t.equal(byName.get('member_ref')?.type, 'text');
    t.equal(byName.get('member_type')?.type, 'select_one member_types');
    t.equal(byName.get('product_chapters')?.type, 'select_multiple hs_chapters');
    const registration = byName.get('c_leg_registration');
    t.equal(registration?.type, 'select_one l_yes_no');
    t.equal(registration?.required, 'yes', 'a knock-out is required');
    t.match(registration?.[AR], /^وجود قانوني/, 'the Arabic label of migration 0018');
    const groups = form.survey.filter((r) => r.type === 'begin_group').map((r) => r.name);
    t.equal(groups.length, 1 + 7, 'the member group and one group per dimension');
    t.ok(groups.includes('d_legal'));
    const sectoral = form.survey.filter((r) =>
      r.relevant?.includes('selected(${product_chapters}'),
    );
    t.ok(sectoral.length > 0, 'sector criteria are relevant by the products’ chapters');
    // "0910" ticked means a saffron product, hence also chapter "09" (a food product).
    const food = form.survey.find((r) => r.relevant?.includes("'hs_09'"));
    t.match(food?.relevant, /selected\(\$\{product_chapters\}, 'hs_0910'\)/);

    const missing = await api({
      method: 'GET',
      url: '/v1/grids/01936000-0000-7000-8000-00000000ffff/xlsform',
    });
    t.equal(missing.statusCode, 404);
    const anonymous = await api({
      method: 'GET',
      url: `/v1/grids/${DEFAULT_GRID_ID}/xlsform`,
      key: null,
    });
    t.equal(anonymous.statusCode, 401);
  },
);

t.test('the form opens in the language of lang or Accept-Language', async (t) => {
  const { api } = await startTestApp(t);
  const settings = async (query: string, headers: Record<string, string> = {}) => {
    const res = await api({
      method: 'GET',
      url: `/v1/grids/${DEFAULT_GRID_ID}/xlsform${query}`,
      headers,
    });
    t.equal(res.statusCode, 200, res.body);
    const form = await readWorkbook(res.rawPayload);
    t.same(lintForm(form), []);
    return form.settings[0];
  };
  t.match(await settings('?lang=ar'), {
    default_language: 'العربية (ar)',
    form_title: 'شبكة SIPPO لقياس الجاهزية للتصدير',
  });
  t.match(await settings('', { 'accept-language': 'de-CH, en;q=0.8, fr;q=0.5' }), {
    default_language: 'English (en)',
    form_title: 'SIPPO export-readiness grid',
  });
  t.match(await settings('?lang=fr', { 'accept-language': 'ar' }), {
    default_language: 'Français (fr)',
  });
  t.match(await settings('', { 'accept-language': 'de' }), { default_language: 'Français (fr)' });
  const bad = await api({ method: 'GET', url: `/v1/grids/${DEFAULT_GRID_ID}/xlsform?lang=de` });
  t.equal(bad.statusCode, 400);

  // Caches learn that the header chooses the language, unless `lang` does.
  const vary = async (query: string) =>
    (
      await api({
        method: 'GET',
        url: `/v1/grids/${DEFAULT_GRID_ID}/xlsform${query}`,
        headers: { 'accept-language': 'ar' },
      })
    ).headers.vary;
  t.match(await vary(''), /Accept-Language/);
  t.notMatch((await vary('?lang=en')) ?? '', /Accept-Language/);
});

t.test('the example grid: types, choices, N/A and knock-outs as the grid says', async (t) => {
  const grid = exampleGridBody();
  const form = await readWorkbook(await xlsFormWorkbook(gridXlsForm({ ...grid, version: 3 })));
  t.same(lintForm(form), []);
  const byName = new Map(form.survey.map((r) => [r.name, r]));
  t.equal(byName.get('c_c1')?.type, 'select_one l_yes_no');
  t.equal(byName.get('c_c2')?.type, 'select_one l_scale_4');
  t.equal(byName.get('c_c3')?.type, 'select_one l_c_c3');
  const list = (name: string) =>
    form.choices.filter((c) => c.list_name === name).map((c) => c.name);
  t.same(list('l_scale_4'), ['0', '1', '2', '3', '4']);
  t.same(list('l_c_c3'), ['x', 'y', 'na'], 'c3 allows N/A');
  t.same(list('l_yes_no'), ['yes', 'no']);
  t.equal(form.settings[0]?.version, '3');
});

t.test('number criteria: decimal with a bound, N/A as a question before it', async (t) => {
  const grid = exampleGridBody();
  grid.dimensions[1]!.criteria.push({
    code: 'volume',
    title: { fr: 'Volume', en: 'Volume', ar: 'الحجم' },
    weight: 1,
    answer: {
      type: 'number',
      unit: 't/an',
      bands: [
        { min: 0, score: 0 },
        { min: 10, score: 1 },
      ],
    },
    notApplicableAllowed: true,
    knockout: { cap: 'C', minScore: 0.5 },
    appliesTo: { memberTypes: ['cooperative', 'gie'] },
    recommendation: { fr: 'r', en: 'r' },
  });
  t.same(validateGridDefinition(grid), []);
  const form = await readWorkbook(await xlsFormWorkbook(gridXlsForm({ ...grid, version: 1 })));
  t.same(lintForm(form), []);
  const byName = new Map(form.survey.map((r) => [r.name, r]));
  const types = "(${member_type} = 'cooperative' or ${member_type} = 'gie')";
  t.same(byName.get('na_volume'), {
    ...byName.get('na_volume'),
    type: 'select_one applicable',
    required: 'yes',
    relevant: types,
  });
  t.equal(byName.get('c_volume')?.type, 'decimal');
  t.equal(byName.get('c_volume')?.relevant, `${types} and \${na_volume} != 'na'`);
  t.match(
    byName.get('c_volume')?.constraint,
    /^\. >= -1000000000000000 and \. <= 1000000000000000$/,
  );
  t.equal(byName.get('c_volume')?.[AR], 'الحجم (t/an)');
});

/** Forms the linter must reject: proof that a clean lint means something. */
t.test('the lint rejects what pyxform rejects', async (t) => {
  const good = await readWorkbook(
    await xlsFormWorkbook(gridXlsForm({ ...exampleGridBody(), version: 1 })),
  );
  const broken = (change: (form: ReadForm) => void) => {
    const copy: ReadForm = structuredClone(good);
    change(copy);
    return lintForm(copy);
  };
  t.same(lintForm(good), []);
  t.match(
    broken((f) => {
      f.survey[3]!.name = 'member_ref';
    }),
    [/used already/],
  );
  t.match(
    broken((f) => {
      f.survey[3]!.name = 'Member-Type';
    }),
    [/name rule/],
  );
  t.match(
    broken((f) => {
      f.choices = f.choices.filter((c) => c.list_name !== 'l_yes_no');
    }),
    [/not in choices/],
  );
  t.match(
    broken((f) => {
      f.survey = f.survey.filter((r, i) => r.type !== 'end_group' || i < 10);
    }),
    [/left open/],
  );
  t.match(
    broken((f) => {
      f.survey.push({ type: 'end_group' });
    }),
    [/without begin_group/],
  );
  t.match(
    broken((f) => {
      f.survey[4]!.relevant = '${nowhere} = 1';
    }),
    [/unknown \$\{nowhere\}/],
  );
  t.match(
    broken((f) => {
      f.survey[4]!.relevant = "${member_type} = 'ship'";
    }),
    [/not a choice/],
  );
  t.match(
    broken((f) => {
      f.survey[4]!.relevant = '(${member_type} = 1';
    }),
    [/unbalanced/],
  );
  t.match(
    broken((f) => {
      f.choices.push({ ...f.choices[0]! });
    }),
    [/twice in list/],
  );
  t.match(
    broken((f) => {
      f.choices[0]!.name = 'a b';
    }),
    [/spaces/],
  );
  t.match(
    broken((f) => {
      delete f.survey[1]![AR];
    }),
    [/no label::العربية/],
  );
  t.match(
    broken((f) => {
      f.sheets = ['survey', 'choices'];
    }),
    [/settings/],
  );
  t.match(
    broken((f) => {
      f.settings[0]!.default_language = 'Deutsch (de)';
    }),
    [/default_language/],
  );
});

t.test('random valid grids give workbooks that pass the lint', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(gridArb, awkwardGridArb),
      fc.integer({ min: 1, max: 99 }),
      async (grid, version) => {
        if (validateGridDefinition(grid).length > 0) throw new Error('generated an invalid grid');
        const form = await readWorkbook(await xlsFormWorkbook(gridXlsForm({ ...grid, version })));
        const problems = lintForm(form);
        if (problems.length > 0) throw new Error(problems.join('\n'));
        const questions = form.survey.filter((r) => r.name?.startsWith('c_'));
        if (questions.length !== grid.dimensions.flatMap((d) => d.criteria).length)
          throw new Error('one question per criterion');
      },
    ),
    RUNS,
  );
  t.pass('checked');
});
