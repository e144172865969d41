import t from 'tap';
import { repairStoredNumbers } from '../../migrations/0010_report_numbers.js';
import { startTestApp } from '../helpers/app.js';

t.test(
  'numbers: out of bounds is a 400 naming the field; nothing stored can make a 500',
  async (t) => {
    const { api, database } = await startTestApp(t);
    // Bodies written by hand: `1e400` is valid JSON that parses as Infinity.
    const send = (method: 'POST' | 'PUT', url: string, text: string, headers = {}) =>
      api({ method, url, body: text, headers: { 'content-type': 'application/json', ...headers } });

    t.test('every numeric input is bounded', async (t) => {
      const cases: [string, 'POST' | 'PUT', string, string, Record<string, string>?][] = [
        [
          '/v1/kpi-values',
          'POST',
          '{"values":[{"kpi":"EXPORT_SALES","period":"2025","partnerCode":"FENIP","value":1e400}]}',
          '/values/0/value',
        ],
        [
          '/v1/kpi-values',
          'POST',
          '{"values":[{"kpi":"MEMBER_SATISFACTION","period":"2025","partnerCode":"FENIP","numerator":1e400,"denominator":1e400}]}',
          '/values/0/numerator',
        ],
        [
          '/v1/kpi-values',
          'POST',
          '{"values":[{"kpi":"EXPORT_SALES","period":"2025","partnerCode":"FENIP","value":2e15}]}',
          '/values/0/value',
        ],
        [
          '/v1/kpis',
          'POST',
          '{"code":"BIG","name":{"fr":"x","en":"x"},"resultLevel":"output","measure":"unit","unit":"u","ascending":true,"source":"reported","cumulation":"period","dimensions":[],"baseline":{"year":2023,"value":1e400}}',
          '/baseline/value',
        ],
        [
          '/v1/kpis',
          'POST',
          '{"code":"BIG","name":{"fr":"x","en":"x"},"resultLevel":"output","measure":"unit","unit":"u","ascending":true,"source":"reported","cumulation":"period","dimensions":[],"endTarget":{"year":2027,"value":-1e400}}',
          '/endTarget/value',
        ],
        [
          '/v1/kpis/EXPORT_SALES/targets',
          'PUT',
          '[{"period":"2025","value":1e400}]',
          '/0/value',
          { 'if-match': '*' },
        ],
      ];
      for (const [url, method, body, pointer, headers] of cases) {
        const res = await send(method, url, body, headers);
        t.equal(res.statusCode, 400, `${url} ${pointer}`);
        t.ok(
          (res.json().errors as { pointer: string }[]).some((e) => e.pointer === pointer),
          `names ${pointer}: ${res.body}`,
        );
      }
      const denominator = await send(
        'POST',
        '/v1/kpi-values',
        '{"values":[{"kpi":"MEMBER_SATISFACTION","period":"2025","partnerCode":"FENIP","numerator":1,"denominator":1e400}]}',
      );
      t.equal(denominator.statusCode, 400);
      t.match(denominator.body, /\/values\/0\/denominator/);
    });

    t.test('grid bands and weights are bounded', async (t) => {
      const grid = (band: string, weight: string) =>
        `{"code":"G","title":{"fr":"g","en":"g"},"categories":[{"code":"A","label":{"fr":"a","en":"a"},"minScore":0}],"dimensions":[{"code":"D","title":{"fr":"d","en":"d"},"weight":${weight},"criteria":[{"code":"c","title":{"fr":"c","en":"c"},"weight":1,"answer":{"type":"number","bands":[{"min":${band},"score":1}]},"recommendation":{"fr":"r","en":"r"}}]}]}`;
      const band = await send('POST', '/v1/grids', grid('1e400', '1'));
      t.equal(band.statusCode, 400, band.body);
      t.match(band.body, /\/dimensions\/0\/criteria\/0\/answer\/bands\/0\/min/);
      const weight = await send('POST', '/v1/grids', grid('0', '1e400'));
      t.equal(weight.statusCode, 400, weight.body);
      t.match(weight.body, /\/dimensions\/0\/weight/);
    });

    t.test('figures stored before the bounds cannot break a read', async (t) => {
      const q = (text: string, params: unknown[] = []) => database.pool.query(text, params);
      // As a database written before migration 0010: no bound constraints.
      for (const [table, name] of [
        ['kpi_values', 'kpi_values_value_bounds'],
        ['kpi_values', 'kpi_values_numerator_bounds'],
        ['kpi_values', 'kpi_values_denominator_bounds'],
        ['kpi_targets', 'kpi_targets_value_bounds'],
        ['kpis', 'kpis_baseline_bounds'],
        ['kpis', 'kpis_end_target_bounds'],
      ])
        await q(`alter table ${table} drop constraint ${name}`);
      const insert = `insert into kpi_values (id, kpi_code, period, period_start, period_end,
      partner_code, disaggregation, value, numerator, denominator)
      values (gen_random_uuid(), $1, $2, $3, $4, $5, '{}', $6, $7, $8)`;
      await q(insert, [
        'EXPORT_SALES',
        '2025',
        '2025-01-01',
        '2025-12-31',
        'FENIP',
        'Infinity',
        null,
        null,
      ]);
      await q(insert, [
        'EXPORT_SALES',
        '2025',
        '2025-01-01',
        '2025-12-31',
        'AMITH',
        1e308,
        null,
        null,
      ]);
      await q(insert, [
        'EXPORT_SALES',
        '2025',
        '2025-01-01',
        '2025-12-31',
        'ASMEX',
        1e308,
        null,
        null,
      ]);
      await q(insert, [
        'MEMBER_SATISFACTION',
        '2025',
        '2025-01-01',
        '2025-12-31',
        'FENIP',
        'NaN',
        'Infinity',
        'Infinity',
      ]);
      await q(insert, [
        'NEW_MARKETS',
        '2025',
        '2025-01-01',
        '2025-12-31',
        'FENIP',
        '-Infinity',
        null,
        null,
      ]);
      await q(`update kpis set baseline_year = 2023, baseline_value = 'Infinity',
      end_target_year = 2027, end_target_value = 'NaN' where code = 'EXPORT_SALES'`);
      await q(`insert into kpi_targets (id, kpi_code, period, period_start, period_end, value)
      values (gen_random_uuid(), 'EXPORT_SALES', '2025', '2025-01-01', '2025-12-31', 'Infinity')`);

      for (const url of [
        '/v1/kpis',
        '/v1/kpis/EXPORT_SALES',
        '/v1/kpis/EXPORT_SALES/targets',
        '/v1/kpi-values?limit=100',
        '/v1/reports/kpis?period=2025&by=partner',
        '/v1/reports/kpis?period=2025-01..2025-12&by=partner',
        '/v1/reports/kpis.csv?period=2025&by=partner',
        '/v1/reports/iati.xml?period=2025&by=partner',
        '/v1/reports/kpis/EXPORT_SALES/chart.svg?period=2025',
        '/v1/reports/kpis/MEMBER_SATISFACTION/chart.svg?period=2025',
      ]) {
        const res = await api({ method: 'GET', url });
        t.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
        t.notMatch(res.body, /Infinity|NaN/, `${url} shows no non-finite number`);
      }
      const report = await api({
        method: 'GET',
        url: '/v1/reports/kpis?period=2025&kpi=EXPORT_SALES&by=partner',
      });
      const rows = report.json().rows as {
        disaggregation: { partner?: string };
        actual: number | null;
      }[];
      t.same(
        rows.map((r) => [r.disaggregation.partner ?? '', r.actual]),
        [
          ['', null],
          ['AMITH', 1e308],
          ['ASMEX', 1e308],
          ['FENIP', null],
        ],
        'a sum that overflows a double is absent, not Infinity',
      );

      await repairStoredNumbers(database.db);
      const left = await q(`select count(*)::int as n from kpi_values`);
      t.equal(left.rows[0].n, 0, 'every stored value out of bounds was removed');
      const kpi = await q(
        `select baseline_value, end_target_value from kpis where code = 'EXPORT_SALES'`,
      );
      t.same(kpi.rows[0], { baseline_value: null, end_target_value: null });
      const audit = await q(
        `select entity, action, changes from audit_events where action = 'repair' order by entity, entity_id`,
      );
      t.equal(audit.rows.length, 8, 'one audit event per repair');
      const values = audit.rows.filter((r) => r.entity === 'kpiValue');
      t.equal(values.length, 5);
      t.ok(values.some((r) => r.changes.value.from === 'Infinity'));
      t.ok(
        values.some(
          (r) => r.changes.numerator.from === 'Infinity' && r.changes.value.from === 'NaN',
        ),
      );
      const baseline = audit.rows.find((r) => r.entity === 'kpi' && r.changes.baseline);
      t.same(baseline?.changes.baseline.from, { year: 2023, value: 'Infinity' });
      t.ok(audit.rows.some((r) => r.entity === 'kpiTarget'));
    });
  },
);
